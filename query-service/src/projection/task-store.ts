import type { ClientBase } from "pg";
import type { TaskRow } from "./task-row.ts";

/** The read_tasks rows of `ids` that exist. */
export async function loadTaskRows(db: ClientBase, ids: string[]): Promise<Map<string, TaskRow>> {
  const { rows } = await db.query<TaskRow>(
    `SELECT task_id AS "taskId", title, month, category, completed, execution_date AS "executionDate",
       last_event_at AS "lastEventAt", version::float8 AS version
     FROM read_tasks WHERE task_id = ANY($1::uuid[])`,
    [ids],
  );
  return new Map(rows.map((row) => [row.taskId, row]));
}

/** Writes changed task rows in one statement; a row already at a later version is left alone. */
export async function saveTaskRows(db: ClientBase, rows: TaskRow[]): Promise<void> {
  if (rows.length === 0) return;
  await db.query(
    `INSERT INTO read_tasks (task_id, title, month, category, completed, execution_date, last_event_at, version)
     SELECT * FROM unnest($1::uuid[], $2::text[], $3::int2[], $4::text[], $5::bool[], $6::timestamptz[],
       $7::timestamptz[], $8::int8[])
     ON CONFLICT (task_id) DO UPDATE SET title = excluded.title, month = excluded.month,
       category = excluded.category, completed = excluded.completed, execution_date = excluded.execution_date,
       last_event_at = excluded.last_event_at, version = excluded.version
     WHERE read_tasks.version < excluded.version`,
    [
      rows.map((r) => r.taskId),
      rows.map((r) => r.title),
      rows.map((r) => r.month),
      rows.map((r) => r.category),
      rows.map((r) => r.completed),
      rows.map((r) => r.executionDate),
      rows.map((r) => r.lastEventAt),
      rows.map((r) => r.version),
    ],
  );
}
