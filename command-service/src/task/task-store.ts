import type { Change } from "../batch/aggregate-kind.ts";
import { insertOutboxSql, saveFlatStates } from "../batch/outbox-insert.ts";
import { loadByIds, type Sql, type Statement } from "../batch/sql.ts";
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

// $1: the new states (a Task each, plus `expected`: the version it was read at, 0 for a new task).
const save: Statement = {
  name: "save-tasks",
  text: `
  WITH rows AS (
    SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, title text, month int2, category text,
      completed boolean, "executionDate" timestamptz, version int8, expected int8)),
  created AS (
    INSERT INTO tasks (id, title, month, category, completed, execution_date, version)
    SELECT id, title, month, category, completed, "executionDate", version FROM rows WHERE expected = 0
    ON CONFLICT (id) DO NOTHING
    RETURNING id),
  updated AS (
    UPDATE tasks t SET title = r.title, month = r.month, category = r.category, completed = r.completed,
      execution_date = r."executionDate", version = r.version, updated_at = now()
    FROM rows r WHERE r.expected > 0 AND t.id = r.id AND t.version = r.expected
    RETURNING t.id),
  saved AS (SELECT id FROM created UNION ALL SELECT id FROM updated),
  events AS (${insertOutboxSql(2, "SELECT id FROM saved")})
  SELECT id FROM saved`,
};

/**
 * Writes tasks' new states and their outbox events in one statement, each task only if its row is
 * still at the version it was read at. Returns the ids written.
 */
export function saveTasks(sql: Sql, changes: Change<Task>[]): Promise<Set<string>> {
  return saveFlatStates(sql, save, changes);
}
