import type { ExportTable } from "./column.ts";

const address = 9;

/** read_orders as OrderRow (conveyor.query.v1): the shipping address fields form the nested Address. */
export const orderTable: ExportTable = {
  kind: "orders",
  table: "read_orders",
  key: "order_id",
  columns: [
    { name: "order_id", sql: "order_id", type: "uuid", field: 1 },
    { name: "order_date", sql: "order_date", type: "timestamp", field: 2 },
    {
      name: "status",
      sql: "status",
      type: "enum",
      field: 3,
      enumNames: ["PLACED", "PAID", "SHIPPED", "CANCELLED"],
    },
    { name: "customer_id", sql: "customer_id", type: "uuid", field: 4 },
    { name: "customer_email", sql: "customer_email", type: "text", field: 5 },
    { name: "customer_name", sql: "customer_name", type: "text", field: 6 },
    { name: "item_count", sql: "item_count", type: "int32", field: 7 },
    { name: "total_minor", sql: "total_minor", type: "int64", field: 8 },
    { name: "ship_line1", sql: "ship_line1", type: "text", group: address, field: 1 },
    { name: "ship_line2", sql: "ship_line2", type: "text", group: address, field: 2 },
    { name: "ship_city", sql: "ship_city", type: "text", group: address, field: 3 },
    { name: "ship_postal_code", sql: "ship_postal_code", type: "text", group: address, field: 4 },
    { name: "ship_country", sql: "ship_country", type: "text", group: address, field: 5 },
    { name: "last_event_at", sql: "last_event_at", type: "timestamp", field: 10 },
  ],
};
