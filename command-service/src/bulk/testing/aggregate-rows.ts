import type { DataSource } from "typeorm";
import type { Order } from "../../order/domain/order-state.ts";
import type { Task } from "../../task/domain/task-state.ts";
import type { User } from "../../user/domain/user.ts";

/** Test support: writes aggregates straight into their tables (items and addresses as fixed filler). */
export async function insertTasks(db: DataSource, tasks: Task[]): Promise<void> {
  await db.query(
    `INSERT INTO tasks (id, title, month, category, completed, execution_date, version)
     SELECT * FROM unnest($1::uuid[], $2::text[], $3::smallint[], $4::text[], $5::bool[], $6::timestamptz[], $7::int8[])`,
    [
      tasks.map((t) => t.id),
      tasks.map((t) => t.title),
      tasks.map((t) => t.month),
      tasks.map((t) => t.category),
      tasks.map((t) => t.completed),
      tasks.map((t) => t.executionDate),
      tasks.map((t) => t.version),
    ],
  );
}

export async function insertUsers(db: DataSource, users: User[]): Promise<void> {
  for (const u of users) {
    await db.query(
      `INSERT INTO users (id, email, first_name, last_name, status, roles, version) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [u.id, u.email, u.firstName, u.lastName, u.status, u.roles, u.version],
    );
  }
}

export async function insertOrders(db: DataSource, orders: Order[]): Promise<void> {
  await db.query(
    `INSERT INTO orders (id, customer_id, order_date, status, cancel_reason, version, ship_line1, ship_city, ship_postal_code, ship_country)
     SELECT *, '1 Main St', 'Berlin', '10115', 'DE'
     FROM unnest($1::uuid[], $2::uuid[], $3::timestamptz[], $4::text[], $5::text[], $6::int8[])`,
    [
      orders.map((o) => o.id),
      orders.map((o) => o.customerId),
      orders.map((o) => o.orderDate),
      orders.map((o) => o.status),
      orders.map((o) => o.cancelReason ?? null),
      orders.map((o) => o.version),
    ],
  );
}

export async function loadTasks(db: DataSource): Promise<Task[]> {
  const rows: Array<Record<string, unknown>> = await db.query(
    "SELECT id, title, month, category, completed, execution_date, version FROM tasks ORDER BY id",
  );
  return rows.map((r) => ({
    id: r.id as string,
    title: r.title as string,
    month: r.month as number,
    category: r.category as string,
    completed: r.completed as boolean,
    executionDate: r.execution_date as Date | null,
    version: Number(r.version),
  }));
}

export async function loadUsers(db: DataSource): Promise<User[]> {
  const rows: Array<Record<string, unknown>> = await db.query(
    "SELECT id, email, first_name, last_name, status, roles, version FROM users ORDER BY id",
  );
  return rows.map((r) => ({
    id: r.id as string,
    email: r.email as string,
    firstName: r.first_name as string,
    lastName: r.last_name as string,
    status: r.status as User["status"],
    roles: r.roles as string[],
    version: Number(r.version),
  }));
}

/** Orders as far as bulk operations see them: no items, the fixed filler address. */
export async function loadOrders(db: DataSource): Promise<Order[]> {
  const rows: Array<Record<string, unknown>> = await db.query(
    "SELECT id, customer_id, order_date, status, cancel_reason, version FROM orders ORDER BY id",
  );
  return rows.map((r) => ({
    id: r.id as string,
    customerId: r.customer_id as string,
    orderDate: r.order_date as Date,
    status: r.status as Order["status"],
    items: [],
    shippingAddress: fillerAddress,
    ...(r.cancel_reason === null ? {} : { cancelReason: r.cancel_reason as string }),
    version: Number(r.version),
  }));
}

export const fillerAddress = {
  line1: "1 Main St",
  line2: "",
  city: "Berlin",
  postalCode: "10115",
  country: "DE",
};

export interface OutboxRow {
  aggregate_type: string;
  aggregate_id: string;
  aggregate_version: string;
  event_type: string;
  payload: object;
  correlation_id: string;
}

export function loadOutbox(db: DataSource): Promise<OutboxRow[]> {
  return db.query(
    "SELECT aggregate_type, aggregate_id, aggregate_version, event_type, payload, correlation_id FROM outbox ORDER BY aggregate_id",
  );
}
