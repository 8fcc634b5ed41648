import { create, fromBinary, fromJson, toBinary, type JsonValue } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { EventEnvelopeSchema, type EventEnvelope } from "@conveyor/proto/conveyor/events/v1/events_pb";
import { AggregateType } from "@conveyor/proto/conveyor/types/v1/types_pb";
import { decodePlainEnvelope } from "./envelope-decoder.ts";
import { ByteSink, jsonEncoderFor, varintSize } from "./json-to-binary.ts";

/** An outbox row as the relay reads it. */
export interface OutboxRecord {
  id: string;
  eventId: string;
  aggregateType: "USER" | "ORDER" | "TASK";
  aggregateId: string;
  aggregateVersion: number;
  eventType: string;
  payload: JsonValue;
  occurredAt: Date;
  correlationId: string;
  causationId: string;
  /** A W3C traceparent value, or "" when the write had no trace. */
  traceContext: string;
}

const payloadOneof = EventEnvelopeSchema.oneofs.find((oneof) => oneof.name === "payload")!;
const payloadFieldsByType = new Map(
  payloadOneof.fields.map((field) => [
    field.message!.typeName,
    { name: field.localName, schema: field.message!, number: field.number },
  ]),
);

/** Builds the protobuf envelope of an outbox row; its payload is the event message in protobuf JSON form. */
export function envelopeOf(record: OutboxRecord): EventEnvelope {
  const field = payloadFieldsByType.get(record.eventType);
  if (!field) throw new Error(`unknown event type ${record.eventType}`);
  return create(EventEnvelopeSchema, {
    eventId: record.eventId,
    aggregateType: AggregateType[record.aggregateType],
    aggregateId: record.aggregateId,
    aggregateVersion: BigInt(record.aggregateVersion),
    eventType: record.eventType,
    occurredAt: timestampFromDate(record.occurredAt),
    correlationId: record.correlationId,
    causationId: record.causationId,
    payload: {
      case: field.name,
      value: fromJson(field.schema, record.payload),
    } as EventEnvelope["payload"],
  });
}

/**
 * The protobuf bytes of an outbox row's envelope, the same as `encodeEnvelope(envelopeOf(record))`
 * (and throwing the same errors), but written straight from the row when its payload is plain
 * protobuf JSON, as the command service writes it: no message objects, no reflection.
 */
export function encodeOutboxRecord(record: OutboxRecord): Buffer {
  return encodePlainRecord(record) ?? Buffer.from(encodeEnvelope(envelopeOf(record)));
}

const fastPayloads = new Map(
  [...payloadFieldsByType].flatMap(([type, field]) => {
    const encoder = jsonEncoderFor(field.schema);
    return encoder ? [[type, { tag: field.number * 8 + 2, encoder }] as const] : [];
  }),
);

/** The fast path of `encodeOutboxRecord`: undefined when the row is not plain (see json-to-binary.ts). */
export function encodePlainRecord(record: OutboxRecord): Buffer | undefined {
  const payload = fastPayloads.get(record.eventType);
  const aggregateType = aggregateTypes[record.aggregateType];
  const version = record.aggregateVersion;
  const ms = record.occurredAt.getTime();
  if (!payload || aggregateType === undefined || !Number.isSafeInteger(version) || version < 0 || !(ms >= 0))
    return undefined;
  const payloadSize = payload.encoder.size(record.payload);
  if (payloadSize === undefined) return undefined;
  const seconds = Math.floor(ms / 1000);
  const nanos = (ms - seconds * 1000) * 1_000_000;
  const timeSize = (seconds === 0 ? 0 : 1 + varintSize(seconds)) + (nanos === 0 ? 0 : 1 + varintSize(nanos));
  const strings = [
    record.eventId,
    record.aggregateId,
    record.eventType,
    record.correlationId,
    record.causationId,
  ];
  const lengths = strings.map((text) => Buffer.byteLength(text));
  let size = 2 + timeSize + varintSize(payload.tag) + varintSize(payloadSize) + payloadSize;
  for (const length of lengths) if (length > 0) size += 1 + varintSize(length) + length;
  if (aggregateType !== 0) size += 1 + varintSize(aggregateType);
  if (version !== 0) size += 1 + varintSize(version);
  const sink = new ByteSink(size);
  stringField(sink, 1, strings[0]!, lengths[0]!);
  varintField(sink, 2, aggregateType);
  stringField(sink, 3, strings[1]!, lengths[1]!);
  varintField(sink, 4, version);
  stringField(sink, 5, strings[2]!, lengths[2]!);
  sink.varint(6 * 8 + 2);
  sink.varint(timeSize);
  varintField(sink, 1, seconds);
  varintField(sink, 2, nanos);
  stringField(sink, 7, strings[3]!, lengths[3]!);
  stringField(sink, 8, strings[4]!, lengths[4]!);
  sink.varint(payload.tag);
  sink.varint(payloadSize);
  payload.encoder.write(record.payload as Record<string, unknown>, sink);
  return sink.bytes;
}

const aggregateTypes: Record<string, number | undefined> = {
  USER: AggregateType.USER,
  ORDER: AggregateType.ORDER,
  TASK: AggregateType.TASK,
};

function stringField(sink: ByteSink, number: number, value: string, byteLength: number): void {
  if (byteLength === 0) return;
  sink.varint(number * 8 + 2);
  sink.string(value, byteLength);
}

function varintField(sink: ByteSink, number: number, value: number): void {
  if (value === 0) return;
  sink.varint(number * 8);
  sink.varint(value);
}

export function encodeEnvelope(envelope: EventEnvelope): Uint8Array {
  return toBinary(EventEnvelopeSchema, envelope);
}

export function decodeEnvelope(bytes: Uint8Array): EventEnvelope {
  return decodePlainEnvelope(bytes) ?? fromBinary(EventEnvelopeSchema, bytes);
}
