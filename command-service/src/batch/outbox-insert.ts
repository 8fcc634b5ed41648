import { currentTraceparent } from "@conveyor/runtime";
import type { OutboxEvent } from "../outbox/outbox-event.ts";
import type { Sql, Statement } from "./sql.ts";

/**
 * The two parameters of `insertOutboxSql`: the events as one JSON array (one native JSON.stringify of
 * the events as they are, where an array parameter per column costs an escaped text element per event
 * and column), and the W3C `traceparent` of the request being served ("" outside one).
 */
export function outboxParams(events: OutboxEvent[]): [string, string] {
  return [JSON.stringify(events), currentTraceparent()];
}

/**
 * A CTE body inserting the events of JSON parameter `events` whose aggregate is among the ids that
 * `savedIds` selects, in array order, so outbox ids follow each aggregate's versions (the relay
 * publishes in id order). `events` and `traceparent` name the parameters of `outboxParams`.
 */
export function insertOutboxSql(events: string, traceparent: string, savedIds: string): string {
  return `INSERT INTO outbox (event_id, aggregate_type, aggregate_id, aggregate_version, event_type, payload,
      correlation_id, causation_id, trace_context)
    SELECT e."eventId", e."aggregateType", e."aggregateId", e."aggregateVersion", e."eventType", e.payload,
      e."correlationId", e."causationId", ${traceparent}::text
    FROM json_to_recordset(${events}::json) AS e("eventId" uuid, "aggregateType" text, "aggregateId" uuid,
      "aggregateVersion" int8, "eventType" text, payload jsonb, "correlationId" text, "causationId" text)
    WHERE e."aggregateId" = ANY (ARRAY(${savedIds}))`;
}

/**
 * Runs an aggregate type's save statement: `$1` the new states as JSON, then `extra` parameters, then
 * the two of `outboxParams`. Returns the ids of the aggregates it wrote (the statement selects them).
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
