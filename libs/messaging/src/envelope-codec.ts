import { create, fromBinary, fromJson, toBinary, type JsonValue } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { EventEnvelopeSchema, type EventEnvelope } from "@conveyor/proto/conveyor/events/v1/events_pb";
import { AggregateType } from "@conveyor/proto/conveyor/types/v1/types_pb";

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
    { name: field.localName, schema: field.message! },
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

export function encodeEnvelope(envelope: EventEnvelope): Uint8Array {
  return toBinary(EventEnvelopeSchema, envelope);
}

export function decodeEnvelope(bytes: Uint8Array): EventEnvelope {
  return fromBinary(EventEnvelopeSchema, bytes);
}
