import type { ExportTable } from "./column.ts";

/** read_tasks as TaskRow (conveyor.query.v1). */
export const taskTable: ExportTable = {
  kind: "tasks",
  table: "read_tasks",
  key: "task_id",
  columns: [
    { name: "task_id", sql: "task_id", type: "uuid", field: 1 },
    { name: "title", sql: "title", type: "text", field: 2 },
    { name: "month", sql: "month", type: "int32", field: 3 },
    { name: "category", sql: "category", type: "text", field: 4 },
    { name: "completed", sql: "completed", type: "bool", field: 5 },
    { name: "execution_date", sql: "execution_date", type: "timestamp", field: 6 },
    { name: "last_event_at", sql: "last_event_at", type: "timestamp", field: 7 },
  ],
};
