import { currentTraceparent } from "@conveyor/runtime";

/** One domain event on its way to the outbox table, already in its wire shape. */
export interface OutboxEvent {
  eventId: string;
  aggregateType: "USER" | "ORDER" | "TASK";
  aggregateId: string;
  aggregateVersion: number;
  /** Full protobuf message name of the payload, e.g. "conveyor.events.v1.UserCreated". */
  eventType: string;
  /** The payload message in protobuf JSON form. */
  payload: object;
  correlationId: string;
  causationId: string;
}

/**
 * The columns of `outbox` that an insert fills, as parallel arrays for `unnest`, then the W3C
 * `traceparent` of the request being served ("" outside one) as one value shared by every row.
 */
export function outboxColumns(events: OutboxEvent[]): unknown[] {
  return [
    events.map((e) => e.eventId),
    events.map((e) => e.aggregateType),
    events.map((e) => e.aggregateId),
    events.map((e) => e.aggregateVersion),
    events.map((e) => e.eventType),
    events.map((e) => JSON.stringify(e.payload)),
    events.map((e) => e.correlationId),
    events.map((e) => e.causationId),
    currentTraceparent(),
  ];
}

/** SQL selecting rows for `INSERT INTO outbox (...)` from the values of `outboxColumns`, starting at $first. */
export function outboxRowsSql(first: number): string {
  const p = (offset: number) => `$${first + offset}`;
  return `SELECT r.*, ${p(8)}::text AS trace_context FROM unnest(${p(0)}::uuid[], ${p(1)}::text[],
    ${p(2)}::uuid[], ${p(3)}::int8[], ${p(4)}::text[], ${p(5)}::jsonb[], ${p(6)}::text[], ${p(7)}::text[]) AS r`;
}

export const outboxInsertColumns =
  "event_id, aggregate_type, aggregate_id, aggregate_version, event_type, payload, correlation_id, causation_id, trace_context";
