import type { ClientBase } from "pg";
import type { OutboxRecord } from "./envelope-codec.ts";

/** The channel the outbox's statement trigger notifies on every insert (delivered at commit). */
export const outboxChannel = "conveyor_outbox";

/** A batch of committed outbox rows and the transaction horizon of the snapshot that read them. */
export interface OutboxBatch {
  /** Every write transaction with an id below this had ended when the batch was read. */
  horizon: bigint;
  records: OutboxRecord[];
}

interface BatchRow extends Partial<OutboxRecord> {
  horizon: string;
}

/**
 * Reads the oldest `limit` committed rows still in the outbox. Rows stay until Kafka acknowledged them,
 * so picking "what is still there" (not "ids above the last one seen") never skips a transaction that
 * took a lower id but committed later. One statement, so the horizon and the rows share a snapshot.
 * (Ordered by `outbox.id`: a bare `id` would name the output column `id::text` and sort as text, 10 before 9.)
 */
export async function readOutboxBatch(db: ClientBase, limit: number): Promise<OutboxBatch> {
  const { rows } = await db.query<BatchRow>(
    `SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS horizon, o.*
     FROM (SELECT 1) AS one LEFT JOIN LATERAL (
       SELECT id::text, event_id AS "eventId", aggregate_type AS "aggregateType", aggregate_id AS "aggregateId",
         aggregate_version::float8 AS "aggregateVersion", event_type AS "eventType", payload,
         occurred_at AS "occurredAt", correlation_id AS "correlationId", causation_id AS "causationId",
         trace_context AS "traceContext"
       FROM outbox ORDER BY outbox.id LIMIT $1) AS o ON true`,
    [limit],
  );
  const horizon = BigInt(rows[0]!.horizon);
  const records = rows
    .filter((row) => row.id !== null)
    .map(({ horizon: _, ...record }) => record as OutboxRecord);
  return { horizon, records };
}

/** Removes rows Kafka has acknowledged: Kafka is the record of published events, the outbox only the backlog. */
export async function deletePublished(db: ClientBase, records: OutboxRecord[]): Promise<void> {
  await db.query("DELETE FROM outbox WHERE id = ANY($1::int8[])", [records.map((record) => record.id)]);
}

/** The relay's backlog: rows waiting to be published and the age of the oldest. */
export interface OutboxBacklog {
  rows: number;
  oldestAgeMs: number;
}

export async function readOutboxBacklog(db: Pick<ClientBase, "query">): Promise<OutboxBacklog> {
  const { rows } = await db.query<{ rows: number; oldest_age_ms: number | null }>(
    `SELECT count(*)::int AS rows,
       (extract(epoch FROM clock_timestamp() - min(occurred_at)) * 1000)::float8 AS oldest_age_ms
     FROM outbox`,
  );
  return { rows: rows[0]!.rows, oldestAgeMs: rows[0]!.oldest_age_ms ?? 0 };
}
