import type { ClientBase } from "pg";
import type { OutboxRecord } from "./envelope-codec.ts";

/** The channel the outbox's statement trigger notifies on every insert (delivered at commit). */
export const outboxChannel = "conveyor_outbox";

/** A batch of committed outbox rows and what the relay learns about the snapshot that read them. */
export interface OutboxBatch {
  records: OutboxRecord[];
  /** The outbox sequence's value, read just before the snapshot. */
  sequenceValue: bigint;
  /** The snapshot's xmin: every write transaction with an id below it had ended. */
  horizon: bigint;
  /** Above the id of every transaction that drew an outbox id up to `sequenceValue`. */
  drawnBelow: bigint;
}

interface BatchRow extends Partial<OutboxRecord> {
  horizon: string;
}

/**
 * Reads the oldest `limit` committed rows with an id above `floor` (see scan-floor.ts) still in the
 * outbox, leaving out the rows `inFlight` (sent, waiting for Kafka's acknowledgement and deletion). Rows stay until Kafka acknowledged them, so picking "what is still there" (not "ids above the
 * last one seen") never skips a transaction that took a lower id but committed later. The rows and the
 * snapshot's horizon come from one statement; the sequence is read in the statement before it.
 * (Ordered by `outbox.id`: a bare `id` would name the output column `id::text` and sort as text, 10 before 9.)
 */
export async function readOutboxBatch(
  db: ClientBase,
  limit: number,
  floor: bigint,
  inFlight: OutboxRecord[] = [],
): Promise<OutboxBatch> {
  // Before its first nextval, a sequence's last_value is the value it will hand out next. The xid this
  // statement takes comes after every xid of a transaction that drew an id up to that value.
  const sequence = await db.query<{ value: string; xid: string }>(
    `SELECT (CASE WHEN is_called THEN last_value ELSE last_value - 1 END)::text AS value,
       pg_current_xact_id()::text AS xid
     FROM outbox_id_seq`,
  );
  const { rows } = await db.query<BatchRow>(
    `SELECT pg_snapshot_xmin(snapshot)::text AS horizon, o.*
     FROM (SELECT pg_current_snapshot() AS snapshot) AS s LEFT JOIN LATERAL (
       SELECT id::text, event_id AS "eventId", aggregate_type AS "aggregateType", aggregate_id AS "aggregateId",
         aggregate_version::float8 AS "aggregateVersion", event_type AS "eventType", payload,
         occurred_at AS "occurredAt", correlation_id AS "correlationId", causation_id AS "causationId",
         trace_context AS "traceContext"
       FROM outbox WHERE outbox.id > $2 AND outbox.id <> ALL($3::int8[]) ORDER BY outbox.id LIMIT $1) AS o ON true`,
    [limit, floor.toString(), inFlight.map((record) => record.id)],
  );
  const records = rows
    .filter((row) => row.id !== null)
    .map(({ horizon: _, ...record }) => record as OutboxRecord);
  return {
    records,
    sequenceValue: BigInt(sequence.rows[0]!.value),
    horizon: BigInt(rows[0]!.horizon),
    drawnBelow: BigInt(sequence.rows[0]!.xid) + 1n,
  };
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
