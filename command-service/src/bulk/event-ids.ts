import { randomBytes } from "node:crypto";
import { currentTraceparent } from "@conveyor/runtime";

/**
 * The first 24 hex digits of the event ids one statement writes: a UUIDv7 whose last 32 bits are left
 * for a per-row counter (RFC 9562's fixed-length counter method). A UUID per row from
 * gen_random_uuid() costs more than the outbox insert itself; this costs a string concatenation, and
 * the ids still sort by time. Random bits per statement: 42 (12 + 14 + 16).
 */
export function eventIdPrefix(now = Date.now()): string {
  const time = now.toString(16).padStart(12, "0");
  const random = randomBytes(6);
  const randA = ((random.readUInt16BE(0) & 0x0fff) | 0x7000).toString(16);
  const randB = ((random.readUInt16BE(2) & 0x3fff) | 0x8000).toString(16);
  const randC = random.readUInt16BE(4).toString(16).padStart(4, "0");
  return `${time.slice(0, 8)}-${time.slice(8)}-${randA}-${randB}-${randC}`;
}

/**
 * The correlation, causation and trace ids of a bulk update's events. A bulk update is one command
 * (index 0 of its request), like the commands of a batch are <request>/<index>; its events carry the
 * trace context of the request being served.
 */
export function bulkEventIds(requestId: string) {
  return {
    correlationId: requestId,
    causationId: `${requestId}/0`,
    traceContext: currentTraceparent(),
  };
}
