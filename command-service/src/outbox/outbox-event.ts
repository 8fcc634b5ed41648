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

/** The columns of `outbox` that an insert fills, as parallel arrays for `unnest`. */
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
  ];
}

/** SQL selecting rows for `INSERT INTO outbox (...)` from the arrays of `outboxColumns`, starting at $first. */
export function outboxRowsSql(first: number): string {
  const p = (offset: number) => `$${first + offset}`;
  return `SELECT * FROM unnest(${p(0)}::uuid[], ${p(1)}::text[], ${p(2)}::uuid[], ${p(3)}::int8[], ${p(4)}::text[],
    ${p(5)}::jsonb[], ${p(6)}::text[], ${p(7)}::text[])`;
}

export const outboxInsertColumns =
  "event_id, aggregate_type, aggregate_id, aggregate_version, event_type, payload, correlation_id, causation_id";
