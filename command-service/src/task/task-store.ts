import type { Change } from "../batch/aggregate-kind.ts";
import { loadByIds, type Sql, type Statement } from "../batch/sql.ts";
import { outboxColumns, outboxInsertColumns, outboxRowsSql } from "../outbox/outbox-event.ts";
import type { Task } from "./domain/task-state.ts";

interface TaskRow {
  id: string;
  title: string;
  month: number;
  category: string;
  completed: boolean;
  execution_date: Date | null;
  version: number;
}

const load = loadByIds(
  "tasks",
  "id, title, month, category, completed, execution_date, version::int AS version",
);

/** Loads the tasks that exist among `ids`, optionally locking their rows in id order. */
export async function loadTasks(sql: Sql, ids: string[], lock: boolean): Promise<Task[]> {
  const rows = await sql.query<TaskRow>(lock ? load.locked : load.unlocked, [ids]);
  return rows.map((row) => ({
    id: row.id,
    title: row.title,
    month: row.month,
    category: row.category,
    completed: row.completed,
    executionDate: row.execution_date,
    version: row.version,
  }));
}

const save: Statement = {
  name: "save-task",
  text: `
  WITH saved AS (
    INSERT INTO tasks (id, title, month, category, completed, execution_date, version)
    VALUES ($1, $2, $3, $4, $5, $6, $7)
    ON CONFLICT (id) DO UPDATE SET title = EXCLUDED.title, month = EXCLUDED.month, category = EXCLUDED.category,
      completed = EXCLUDED.completed, execution_date = EXCLUDED.execution_date, version = EXCLUDED.version,
      updated_at = now()
    WHERE tasks.version = $8
    RETURNING id)
  INSERT INTO outbox (${outboxInsertColumns})
  SELECT events.* FROM (${outboxRowsSql(9)}) AS events WHERE EXISTS (SELECT 1 FROM saved)
  RETURNING id`,
};

/** Writes a task's new state and its outbox events in one statement, if the row is still where it was read. */
export async function saveTask(sql: Sql, { before, after, events }: Change<Task>): Promise<boolean> {
  const state = [
    after.id,
    after.title,
    after.month,
    after.category,
    after.completed,
    after.executionDate,
    after.version,
  ];
  const inserted = await sql.query(save, [...state, before?.version ?? 0, ...outboxColumns(events)]);
  return inserted.length === events.length;
}
