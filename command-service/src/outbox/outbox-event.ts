/**
 * One domain event on its way to the outbox table, already in its wire shape. The statements that
 * write it (command-service/src/batch/outbox-insert.ts, bulk/update-statement.ts) add the request's
 * W3C traceparent as the row's trace_context.
 */
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
