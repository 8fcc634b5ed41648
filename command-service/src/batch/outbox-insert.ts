import { currentTraceparent } from "@conveyor/runtime";
import type { OutboxEvent } from "../outbox/outbox-event.ts";
import type { Change } from "./aggregate-kind.ts";
import type { Sql, Statement } from "./sql.ts";

/**
 * The four parameters of `insertOutboxSql`, in order: the events as one JSON array (one native
 * JSON.stringify, where an array parameter per column costs an escaped text element per event and
 * column) holding only what differs between them, under one-letter keys (less JSON to write and for
 * PostgreSQL to parse); their aggregate type and correlation id, which all events of one statement
 * share (one aggregate type, one request); and the W3C `traceparent` of the request being served
 * ("" outside one).
 */
export function outboxParams(events: OutboxEvent[]): [string, string, string, string] {
  const shared = events[0] ?? { aggregateType: "", correlationId: "" };
  const rows = events.map((event) => {
    if (event.aggregateType !== shared.aggregateType || event.correlationId !== shared.correlationId)
      throw new Error("the events of one statement must share their aggregate type and correlation id");
    return {
      i: event.eventId,
      a: event.aggregateId,
      v: event.aggregateVersion,
      t: event.eventType,
      p: event.payload,
      c: event.causationId,
    };
  });
  return [JSON.stringify(rows), shared.aggregateType, shared.correlationId, currentTraceparent()];
}

/**
 * A CTE body inserting the events of `outboxParams` (parameters `$first` to `$first+3`) whose aggregate
 * is among the ids that `savedIds` selects, in array order, so outbox ids follow each aggregate's
 * versions (the relay publishes in id order).
 */
export function insertOutboxSql(first: number, savedIds: string): string {
  const [events, aggregateType, correlationId, traceparent] = [0, 1, 2, 3].map((k) => `$${first + k}`);
  return `INSERT INTO outbox (event_id, aggregate_type, aggregate_id, aggregate_version, event_type, payload,
      correlation_id, causation_id, trace_context)
    SELECT e.i, ${aggregateType}::text, e.a, e.v, e.t, e.p, ${correlationId}::text, e.c, ${traceparent}::text
    FROM jsonb_to_recordset(${events}::jsonb) AS e(i uuid, a uuid, v int8, t text, p jsonb, c text)
    WHERE e.a = ANY (ARRAY(${savedIds}))`;
}

/**
 * Runs an aggregate type's save statement: `$1` the new states as JSON, then `extra` parameters, then
 * the four of `outboxParams`. Returns the ids of the aggregates it wrote (the statement selects them).
 */
export async function runSave(
  sql: Sql,
  statement: Statement,
  rows: object[],
  events: OutboxEvent[],
  extra: unknown[] = [],
): Promise<Set<string>> {
  const saved = await sql.query<{ id: string }>(statement, [
    JSON.stringify(rows),
    ...extra,
    ...outboxParams(events),
  ]);
  return new Set(saved.map((row) => row.id));
}

/**
 * `runSave` for an aggregate type whose state is one flat row (users, tasks): each new state with the
 * version it was read at as `expected` (0: a new aggregate), and every change's events.
 */
export function saveFlatStates<S extends { version: number }>(
  sql: Sql,
  statement: Statement,
  changes: Change<S>[],
): Promise<Set<string>> {
  const rows = changes.map(({ before, after }) => ({ ...after, expected: before?.version ?? 0 }));
  return runSave(
    sql,
    statement,
    rows,
    changes.flatMap((change) => change.events),
  );
}
