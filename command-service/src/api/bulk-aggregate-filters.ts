import type { Order } from "../order/domain/order-state.ts";
import type { Task } from "../task/domain/task-state.ts";
import type { User } from "../user/domain/user.ts";
import type { PredicateMapper } from "./bulk-filter-mapping.ts";
import { orderPredicate, taskPredicate, userPredicate } from "./bulk-predicates.ts";

/** Filters over tasks accept task predicates only; likewise for users and orders. */
export const taskFilter: PredicateMapper<Task, "task"> = {
  aggregate: "task",
  plural: "tasks",
  map: taskPredicate,
};
export const userFilter: PredicateMapper<User, "user"> = {
  aggregate: "user",
  plural: "users",
  map: userPredicate,
};
export const orderFilter: PredicateMapper<Order, "order"> = {
  aggregate: "order",
  plural: "orders",
  map: orderPredicate,
};
