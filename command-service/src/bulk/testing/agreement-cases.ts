import fc from "fast-check";
import type { DataSource } from "typeorm";
import { SqlParameters, sqlContext, type Specification } from "@conveyor/specification";
import { orderFilter, taskFilter, userFilter } from "../../api/bulk-aggregate-filters.ts";
import type { PredicateMapper } from "../../api/bulk-filter-mapping.ts";
import { evolveOrder, type OrderEvent } from "../../order/domain/order.ts";
import type { Order } from "../../order/domain/order-state.ts";
import { evolveTask, type TaskEvent } from "../../task/domain/task.ts";
import type { Task } from "../../task/domain/task-state.ts";
import { evolveUser, type User, type UserEvent } from "../../user/domain/user.ts";
import { orderTable, taskTable, userTable } from "../aggregate-tables.ts";
import type { BulkOperation } from "../bulk-operation.ts";
import { cancelOrdersInBulk, setTaskExecutionDateInBulk, suspendUsersInBulk } from "../bulk-operations.ts";
import type { BulkTable } from "../bulk-table.ts";
import {
  hostileText,
  orderLeaf,
  orders,
  someDate,
  taskLeaf,
  tasks,
  userLeaf,
  users,
  customerIds,
  type FilterInit,
} from "./arbitraries.ts";
import {
  insertOrders,
  insertTasks,
  insertUsers,
  loadOrders,
  loadTasks,
  loadUsers,
} from "./aggregate-rows.ts";

/** Test support: one aggregate type, its random data and its bulk operation, for the agreement properties. */
export interface AgreementCase<
  T extends { id: string; version: number },
  E,
  P,
  K extends keyof T,
  C extends "task" | "user" | "order",
> {
  name: string;
  table: BulkTable<T>;
  aggregates: fc.Arbitrary<T[]>;
  leaf: fc.Arbitrary<FilterInit>;
  mapper: PredicateMapper<T, C>;
  /** The operation's own argument (a date, a reason, nothing). */
  parameter: fc.Arbitrary<P>;
  operation(parameter: P, restriction: Specification<T>): BulkOperation<T, E, K>;
  /** Empties the tables, then writes `aggregates`. */
  reset(db: DataSource, aggregates: T[]): Promise<void>;
  load(db: DataSource): Promise<T[]>;
  /** The batch path's in-memory apply: the domain's evolve. */
  evolve(aggregate: T, event: E): T;
}

type Event<U, N> = Extract<U, { type: N }>;

export const taskCase: AgreementCase<Task, Event<TaskEvent, "TaskExecutionDateSet">, Date, never, "task"> = {
  name: "tasks / SetTaskExecutionDate",
  table: taskTable,
  aggregates: tasks,
  leaf: taskLeaf,
  mapper: taskFilter,
  parameter: someDate,
  operation: (date, restriction) => setTaskExecutionDateInBulk(date, restriction),
  reset: async (db, aggregates) => {
    await db.query("TRUNCATE tasks, outbox");
    await insertTasks(db, aggregates);
  },
  load: loadTasks,
  evolve: (task, event) => evolveTask(task, task.id, event),
};

export const userCase: AgreementCase<User, Event<UserEvent, "UserStatusChanged">, null, "status", "user"> = {
  name: "users / SuspendUsers",
  table: userTable,
  aggregates: users,
  leaf: userLeaf,
  mapper: userFilter,
  parameter: fc.constant(null),
  operation: (_none, restriction) => suspendUsersInBulk(restriction),
  reset: async (db, aggregates) => {
    await db.query("TRUNCATE users, orders, order_items, outbox");
    await insertUsers(db, aggregates);
  },
  load: loadUsers,
  evolve: (user, event) => evolveUser(user, user.id, event),
};

export const orderCase: AgreementCase<Order, Event<OrderEvent, "OrderCancelled">, string, never, "order"> = {
  name: "orders / CancelOrders",
  table: orderTable,
  aggregates: orders,
  leaf: orderLeaf,
  mapper: orderFilter,
  parameter: hostileText,
  operation: (reason, restriction) => cancelOrdersInBulk(reason, restriction),
  reset: async (db, aggregates) => {
    await db.query("TRUNCATE users, orders, order_items, outbox");
    await insertUsers(db, customers);
    await insertOrders(db, aggregates);
  },
  load: loadOrders,
  evolve: (order, event) => evolveOrder(order, order.id, event),
};

const customers: User[] = customerIds.map((id, i) => ({
  id,
  email: `customer${i}@x.de`,
  firstName: "C",
  lastName: "C",
  status: "ACTIVE",
  roles: [],
  version: 1,
}));

/** The ids of the rows `spec` selects in SQL, in id order. */
export async function selectIds<T>(
  db: DataSource,
  table: BulkTable<T>,
  spec: Specification<T>,
): Promise<string[]> {
  const parameters = new SqlParameters();
  const where = spec.toSql(sqlContext(table.columns, parameters, "t"));
  const rows: Array<{ id: string }> = await db.query(
    `SELECT t.id FROM "${table.name}" t WHERE ${where} ORDER BY t.id`,
    parameters.values,
  );
  return rows.map((row) => row.id);
}

export function byId<T extends { id: string }>(items: T[]): T[] {
  return [...items].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
