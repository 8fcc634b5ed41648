import { isUtf8 } from "node:buffer";
import { fromBinary, type Message } from "@bufbuild/protobuf";
import type { Timestamp } from "@bufbuild/protobuf/wkt";
import { EventEnvelopeSchema, type EventEnvelope } from "@conveyor/proto/conveyor/events/v1/events_pb";

const payloadOneof = EventEnvelopeSchema.oneofs.find((oneof) => oneof.name === "payload")!;
const payloadsByNumber = new Map(
  payloadOneof.fields.map((field) => [field.number, { case: field.localName, schema: field.message! }]),
);
const lengthDelimited = 2;
const varintWire = 0;
const stringFields: Record<
  number,
  "eventId" | "aggregateId" | "eventType" | "correlationId" | "causationId"
> = { 1: "eventId", 3: "aggregateId", 5: "eventType", 7: "correlationId", 8: "causationId" };

/** A position in the bytes being read; `at` is undefined once they turned out not to be plain. */
interface Cursor {
  bytes: Buffer;
  at: number;
}

/**
 * The envelope of `bytes`, the same as `fromBinary(EventEnvelopeSchema, bytes)` (the projector's hot
 * path), but reading the envelope's own fields by hand and only the payload message by reflection.
 * Returns undefined for bytes outside the plain shape the relay writes (unknown or repeated message
 * fields, wrong wire types, invalid UTF-8, negative or huge integers, truncation), which the caller decodes with
 * `fromBinary` for its exact result or error.
 */
export function decodePlainEnvelope(bytes: Uint8Array): EventEnvelope | undefined {
  const cursor = { bytes: asBuffer(bytes), at: 0 };
  const envelope: EventEnvelope = {
    $typeName: "conveyor.events.v1.EventEnvelope",
    eventId: "",
    aggregateType: 0,
    aggregateId: "",
    aggregateVersion: 0n,
    eventType: "",
    correlationId: "",
    causationId: "",
    payload: { case: undefined },
  };
  while (cursor.at < cursor.bytes.length) {
    const tag = readVarint(cursor);
    if (tag === undefined || !readField(cursor, envelope, Math.floor(tag / 8), tag % 8)) return undefined;
  }
  return envelope;
}

function readField(cursor: Cursor, envelope: EventEnvelope, field: number, wire: number): boolean {
  const stringField = stringFields[field];
  if (stringField !== undefined) {
    const text = wire === lengthDelimited ? readString(cursor) : undefined;
    if (text === undefined) return false;
    envelope[stringField] = text;
    return true;
  }
  if (field === 2 || field === 4) {
    const value = wire === varintWire ? readVarint(cursor) : undefined;
    if (value === undefined || value > 0x7fffffff) return false;
    if (field === 2) envelope.aggregateType = value;
    else envelope.aggregateVersion = BigInt(value);
    return true;
  }
  const bytes = wire === lengthDelimited ? readBytes(cursor) : undefined;
  if (bytes === undefined) return false;
  if (field === 6) {
    const time = envelope.occurredAt === undefined ? readTimestamp(bytes) : undefined;
    envelope.occurredAt = time;
    return time !== undefined;
  }
  const payload = payloadsByNumber.get(field);
  if (payload === undefined || envelope.payload.case !== undefined) return false;
  envelope.payload = {
    case: payload.case,
    value: fromBinary(payload.schema, bytes) as Message,
  } as EventEnvelope["payload"];
  return true;
}

function readTimestamp(bytes: Buffer): Timestamp | undefined {
  const cursor = { bytes, at: 0 };
  const time: Timestamp = { $typeName: "google.protobuf.Timestamp", seconds: 0n, nanos: 0 };
  while (cursor.at < bytes.length) {
    const tag = readVarint(cursor);
    const value = tag === 8 || tag === 16 ? readVarint(cursor) : undefined;
    if (value === undefined || (tag === 16 && value > 0x7fffffff)) return undefined;
    if (tag === 8) time.seconds = BigInt(value);
    else time.nanos = value;
  }
  return time;
}

/** A varint of up to 7 bytes (exact in a double); undefined for a longer or truncated one. */
function readVarint(cursor: Cursor): number | undefined {
  const { bytes } = cursor;
  let result = 0;
  let scale = 1;
  for (let i = 0; i < 7 && cursor.at < bytes.length; i++) {
    const byte = bytes[cursor.at++]!;
    result += (byte & 0x7f) * scale;
    if (byte < 0x80) return result;
    scale *= 0x80;
  }
  return undefined;
}

function readBytes(cursor: Cursor): Buffer | undefined {
  const length = readVarint(cursor);
  if (length === undefined || cursor.at + length > cursor.bytes.length) return undefined;
  cursor.at += length;
  return cursor.bytes.subarray(cursor.at - length, cursor.at);
}

function readString(cursor: Cursor): string | undefined {
  const bytes = readBytes(cursor);
  // protobuf-es refuses invalid UTF-8 in a string field: leave such bytes to it for its error.
  if (bytes === undefined || !isUtf8(bytes)) return undefined;
  const text = bytes.toString("utf8");
  // protobuf-es decodes with a default TextDecoder, which drops a leading byte order mark.
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
