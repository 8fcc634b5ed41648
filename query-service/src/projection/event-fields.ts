import { timestampDate, type Timestamp } from "@bufbuild/protobuf/wkt";
import type { EventEnvelope } from "@conveyor/proto/conveyor/events/v1/events_pb";
import { PoisonEvent } from "./poison-event.ts";

/** The version and time every row takes from the event it last applied. */
export function stamp(event: EventEnvelope): { version: number; lastEventAt: Date } {
  return {
    version: Number(event.aggregateVersion),
    lastEventAt: requiredDate(event.occurredAt, "occurred_at"),
  };
}

export function requiredDate(timestamp: Timestamp | undefined, field: string): Date {
  if (!timestamp) throw new PoisonEvent(`${field} is missing`);
  return timestampDate(timestamp);
}

/** The name of a known, specified enum value (e.g. "ACTIVE"), else poison. */
export function enumName(values: Record<number, string>, value: number, field: string): string {
  const name = values[value];
  if (value === 0 || name === undefined) throw new PoisonEvent(`${field} has no known value (${value})`);
  return name;
}

export function requireRow<Row>(row: Row | undefined, event: EventEnvelope): Row {
  if (!row) throw new PoisonEvent(`${event.eventType} for ${event.aggregateId}, which was never created`);
  return row;
}

export function requireNoRow(row: unknown, event: EventEnvelope): void {
  if (row) throw new PoisonEvent(`${event.eventType} for ${event.aggregateId}, which already exists`);
}

export function unexpected(event: EventEnvelope, aggregate: string): never {
  throw new PoisonEvent(`${event.eventType || "an event without a payload"} is not a ${aggregate} event`);
}
