import type pg from "pg";

/**
 * Writes `count` tasks and their TaskCreated outbox rows with two set-based statements in one
 * transaction, as a bulk operation would: the burst the relay and the projector then have to move.
 */
export async function insertTaskBurst(db: pg.Client, count: number, category: string): Promise<void> {
  await db.query("BEGIN");
  await db.query(
    `CREATE TEMP TABLE burst ON COMMIT DROP AS
     SELECT gen_random_uuid() AS id, 'burst task ' || n AS title, 1 + n % 12 AS month FROM generate_series(1, $1) AS n`,
    [count],
  );
  await db.query(
    "INSERT INTO tasks (id, title, month, category, version) SELECT id, title, month, $1, 1 FROM burst",
    [category],
  );
  await db.query(
    `INSERT INTO outbox (event_id, aggregate_type, aggregate_id, aggregate_version, event_type, payload, correlation_id, causation_id)
     SELECT gen_random_uuid(), 'TASK', id, 1, 'conveyor.events.v1.TaskCreated',
       jsonb_build_object('title', title, 'month', month, 'category', $1::text), 'bench-burst', 'bench-burst/0'
     FROM burst`,
    [category],
  );
  await db.query("COMMIT");
}
