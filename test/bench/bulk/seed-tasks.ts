import type { DataSource } from "typeorm";

/** Where the benchmark's tasks live: `matching` open tasks of March/"ops", plus 10% others. */
export const benchFilter = { month: 3, category: "ops" };

/**
 * Empties tasks and outbox, writes `matching` open tasks that the benchmark's filter selects and
 * `matching / 10` that it doesn't (other months and categories, some completed), then vacuums,
 * analyzes and checkpoints so every measured run starts from the same clean table.
 */
export async function seedTasks(db: DataSource, matching: number): Promise<void> {
  await db.query("TRUNCATE tasks, outbox");
  await db.query(
    `INSERT INTO tasks (id, title, month, category, completed, version)
     SELECT gen_random_uuid(), 'task ' || i, $2, $3, false, 1 FROM generate_series(1, $1) AS i`,
    [matching, benchFilter.month, benchFilter.category],
  );
  await db.query(
    `INSERT INTO tasks (id, title, month, category, completed, version)
     SELECT gen_random_uuid(), 'other ' || i, 1 + i % 12, 'cat-' || (i % 7), i % 4 = 0, 1
     FROM generate_series(1, $1) AS i`,
    [Math.ceil(matching / 10)],
  );
  await db.query("VACUUM (ANALYZE) tasks");
  await db.query("VACUUM (ANALYZE) outbox");
  await db.query("CHECKPOINT");
}
