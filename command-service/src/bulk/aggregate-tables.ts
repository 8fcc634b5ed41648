import { columnMap } from "@conveyor/specification";
import type { Order } from "../order/domain/order-state.ts";
import type { Task } from "../task/domain/task-state.ts";
import type { User } from "../user/domain/user.ts";
import type { BulkTable } from "./bulk-table.ts";

export const taskTable: BulkTable<Task> = {
  name: "tasks",
  aggregateType: "TASK",
  columns: columnMap<Task>({
    month: { name: "month", type: "smallint" },
    category: { name: "category", type: "text" },
    completed: { name: "completed", type: "boolean" },
    executionDate: { name: "execution_date", type: "timestamptz", nullable: true },
  }),
};

export const userTable: BulkTable<User> = {
  name: "users",
  aggregateType: "USER",
  columns: columnMap<User>({
    status: { name: "status", type: "text" },
    roles: { name: "roles", type: "text[]" },
    email: { name: "email", type: "text" },
  }),
};

export const orderTable: BulkTable<Order> = {
  name: "orders",
  aggregateType: "ORDER",
  columns: columnMap<Order>({
    status: { name: "status", type: "text" },
    orderDate: { name: "order_date", type: "timestamptz" },
    customerId: { name: "customer_id", type: "uuid" },
    cancelReason: { name: "cancel_reason", type: "text", nullable: true },
  }),
};
