import type { ExportTable } from "./column.ts";

/** read_users as UserRow (conveyor.query.v1). */
export const userTable: ExportTable = {
  kind: "users",
  table: "read_users",
  key: "user_id",
  columns: [
    { name: "user_id", sql: "user_id", type: "uuid", field: 1 },
    { name: "email", sql: "email", type: "text", field: 2 },
    { name: "first_name", sql: "first_name", type: "text", field: 3 },
    { name: "last_name", sql: "last_name", type: "text", field: 4 },
    { name: "status", sql: "status", type: "enum", field: 5, enumNames: ["PENDING", "ACTIVE", "SUSPENDED"] },
    { name: "roles", sql: "roles", type: "text_array", field: 6 },
    { name: "order_count", sql: "order_count", type: "int32", field: 7 },
    { name: "lifetime_value_minor", sql: "lifetime_value_minor", type: "int64", field: 8 },
    { name: "last_event_at", sql: "last_event_at", type: "timestamp", field: 9 },
  ],
};
