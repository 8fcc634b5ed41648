import type { Specification } from "@conveyor/specification";
import { cancelOrders } from "../order/domain/cancel-orders.ts";
import type { Order } from "../order/domain/order-state.ts";
import { setTaskExecutionDate } from "../task/domain/set-task-execution-date.ts";
import type { Task } from "../task/domain/task-state.ts";
import { suspendUsers } from "../user/domain/suspend-users.ts";
import type { User } from "../user/domain/user.ts";
import { userEventPayload } from "../user/user-event-payloads.ts";
import { orderEventPayload } from "../order/order-event-payloads.ts";
import { taskEventPayload } from "../task/task-event-payloads.ts";
import { orderTable, taskTable, userTable } from "./aggregate-tables.ts";

/** SetTaskExecutionDate on every task the restriction selects. */
export function setTaskExecutionDateInBulk(executionDate: Date, restriction: Specification<Task>) {
  return {
    command: setTaskExecutionDate(executionDate, restriction),
    table: taskTable,
    wire: taskEventPayload,
  };
}

/** SuspendUsers on every user the restriction selects. */
export function suspendUsersInBulk(restriction: Specification<User>) {
  return { command: suspendUsers(restriction), table: userTable, wire: userEventPayload };
}

/** CancelOrders on every order the restriction selects. */
export function cancelOrdersInBulk(reason: string, restriction: Specification<Order>) {
  return { command: cancelOrders(reason, restriction), table: orderTable, wire: orderEventPayload };
}
