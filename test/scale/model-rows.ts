import { timestampMs, type Timestamp } from "@bufbuild/protobuf/wkt";
import { QueryService } from "@conveyor/proto/conveyor/query/v1/query_service_pb";
import { OrderStatus, UserStatus } from "@conveyor/proto/conveyor/types/v1/types_pb";
import { bearerClientOptions, collect, createGrpcJsClient } from "@conveyor/runtime/testing";
import { withClient } from "../../deploy/local/postgres.ts";

/** Exported rows by id, each as a canonical JSON string of the fields compared. */
export interface ModelRows {
  users: Map<string, string>;
  orders: Map<string, string>;
  tasks: Map<string, string>;
}

/** What every export must show, recomputed from the normalized write model. */
export async function expectedRows(writeUrl: string): Promise<ModelRows> {
  return withClient(writeUrl, async (db) => {
    const users = await db.query<Record<string, unknown>>(`
      SELECT u.id, u.email, u.first_name, u.last_name, u.status, u.roles, count(o.id)::int AS order_count,
        coalesce(sum(t.total) FILTER (WHERE o.status <> 'CANCELLED'), 0)::text AS lifetime_value_minor
      FROM users u
      LEFT JOIN orders o ON o.customer_id = u.id
      LEFT JOIN LATERAL (SELECT sum(i.quantity::int8 * i.unit_price_minor) AS total FROM order_items i
        WHERE i.order_id = o.id) t ON true
      GROUP BY u.id`);
    const orders = await db.query<Record<string, unknown>>(`
      SELECT o.id, o.status, o.customer_id, u.email, u.first_name || ' ' || u.last_name AS customer_name,
        (SELECT count(*)::int FROM order_items i WHERE i.order_id = o.id) AS item_count,
        (SELECT coalesce(sum(i.quantity::int8 * i.unit_price_minor), 0)::text FROM order_items i
          WHERE i.order_id = o.id) AS total_minor
      FROM orders o JOIN users u ON u.id = o.customer_id`);
    const tasks = await db.query<Record<string, unknown>>(
      `SELECT id, title, month, category, completed, execution_date FROM tasks`,
    );
    return {
      users: keyed(users.rows, (r) => [
        r.id,
        r.email,
        r.first_name,
        r.last_name,
        UserStatus[r.status as keyof typeof UserStatus],
        r.roles,
        r.order_count,
        r.lifetime_value_minor,
      ]),
      orders: keyed(orders.rows, (r) => [
        r.id,
        OrderStatus[r.status as keyof typeof OrderStatus],
        r.customer_id,
        r.email,
        r.customer_name,
        r.item_count,
        r.total_minor,
      ]),
      tasks: keyed(tasks.rows, (r) => [
        r.id,
        r.title,
        r.month,
        r.category,
        r.completed,
        (r.execution_date as Date | null)?.getTime() ?? null,
      ]),
    };
  });
}

/**
 * Every row of the three exports of the query-service at `address`, in small chunks; throws if an id
 * appears twice in one export.
 */
export async function exportedRows(address: string, token: string): Promise<ModelRows> {
  const queries = createGrpcJsClient(QueryService, address, undefined, bearerClientOptions(token));
  const options = { chunkSize: 500 };
  try {
    const users = (await collect(queries.exportUsers({ options }))).flatMap((chunk) => chunk.rows);
    const orders = (await collect(queries.exportOrders({ options }))).flatMap((chunk) => chunk.rows);
    const tasks = (await collect(queries.exportTasks({ options }))).flatMap((chunk) => chunk.rows);
    return {
      users: keyed(users, (r) => [
        r.userId,
        r.email,
        r.firstName,
        r.lastName,
        r.status,
        r.roles,
        r.orderCount,
        String(r.lifetimeValueMinor),
      ]),
      orders: keyed(orders, (r) => [
        r.orderId,
        r.status,
        r.customerId,
        r.customerEmail,
        r.customerName,
        r.itemCount,
        String(r.totalMinor),
      ]),
      tasks: keyed(tasks, (r) => [
        r.taskId,
        r.title,
        r.month,
        r.category,
        r.completed,
        millis(r.executionDate),
      ]),
    };
  } finally {
    queries.close();
  }
}

/** Each aggregate's version in the write model, or in the read model (`read`), by id. */
export async function modelVersions(url: string, side: "write" | "read"): Promise<Map<string, bigint>> {
  const tables =
    side === "write"
      ? ["SELECT id, version FROM users", "SELECT id, version FROM orders", "SELECT id, version FROM tasks"]
      : [
          "SELECT user_id AS id, version FROM read_users",
          "SELECT order_id AS id, version FROM read_orders",
          "SELECT task_id AS id, version FROM read_tasks",
        ];
  return withClient(url, async (db) => {
    const { rows } = await db.query<{ id: string; version: string }>(tables.join(" UNION ALL "));
    return new Map(rows.map((row) => [row.id, BigInt(row.version)]));
  });
}

function keyed<T>(rows: T[], fields: (row: T) => unknown[]): Map<string, string> {
  const byId = new Map<string, string>();
  for (const row of rows) {
    const [id, ...rest] = fields(row);
    if (byId.has(String(id))) throw new Error(`row ${String(id)} appears twice`);
    byId.set(String(id), JSON.stringify(rest));
  }
  return byId;
}

function millis(timestamp: Timestamp | undefined): number | null {
  return timestamp ? timestampMs(timestamp) : null;
}
