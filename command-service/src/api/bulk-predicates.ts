import { ValidationError } from "@conveyor/errors";
import type { Specification } from "@conveyor/specification";
import type {
  OrderPredicate,
  TaskPredicate,
  UserPredicate,
} from "@conveyor/proto/conveyor/command/v1/bulk_pb";
import { OrderStatus, UserStatus } from "@conveyor/proto/conveyor/types/v1/types_pb";
import {
  orderHasStatus,
  orderOfCustomer,
  orderPlacedAfter,
  orderPlacedBefore,
} from "../order/domain/order-specifications.ts";
import type { Order, OrderStatus as DomainOrderStatus } from "../order/domain/order-state.ts";
import {
  taskCompleted,
  taskExecutionDateAfter,
  taskExecutionDateBefore,
  taskHasExecutionDate,
  taskInCategory,
  taskInMonth,
} from "../task/domain/task-specifications.ts";
import type { Task } from "../task/domain/task-state.ts";
import type { User, UserStatus as DomainUserStatus } from "../user/domain/user.ts";
import { userEmailDomainIs, userHasRole, userHasStatus } from "../user/domain/user-specifications.ts";
import { at, toDate } from "./bulk-field-values.ts";

/** A task predicate as a specification; `path` names the predicate message in the request. */
export function taskPredicate({ predicate }: TaskPredicate, path: string): Specification<Task> {
  const field = `${path}.${snakeCase(predicate.case)}`;
  switch (predicate.case) {
    case "month":
      return at(field, () => taskInMonth(predicate.value));
    case "category":
      return at(field, () => taskInCategory(predicate.value));
    case "completed":
      return taskCompleted(predicate.value);
    case "executionDateBefore":
      return taskExecutionDateBefore(toDate(predicate.value, field));
    case "executionDateAfter":
      return taskExecutionDateAfter(toDate(predicate.value, field));
    case "hasExecutionDate":
      return predicate.value ? taskHasExecutionDate : taskHasExecutionDate.not();
    case undefined:
      throw emptyPredicate(
        path,
        "month, category, completed, execution_date_before, execution_date_after, has_execution_date",
      );
  }
}

/** A user predicate as a specification. */
export function userPredicate({ predicate }: UserPredicate, path: string): Specification<User> {
  const field = `${path}.${snakeCase(predicate.case)}`;
  switch (predicate.case) {
    case "status":
      return userHasStatus(enumValue(userStatuses, predicate.value, field, "USER_STATUS"));
    case "role":
      return at(field, () => userHasRole(predicate.value));
    case "emailDomain":
      return at(field, () => userEmailDomainIs(predicate.value));
    case undefined:
      throw emptyPredicate(path, "status, role, email_domain");
  }
}

/** An order predicate as a specification. */
export function orderPredicate({ predicate }: OrderPredicate, path: string): Specification<Order> {
  const field = `${path}.${snakeCase(predicate.case)}`;
  switch (predicate.case) {
    case "status":
      return orderHasStatus(enumValue(orderStatuses, predicate.value, field, "ORDER_STATUS"));
    case "placedBefore":
      return orderPlacedBefore(toDate(predicate.value, field));
    case "placedAfter":
      return orderPlacedAfter(toDate(predicate.value, field));
    case "customerId":
      return at(field, () => orderOfCustomer(predicate.value));
    case undefined:
      throw emptyPredicate(path, "status, placed_before, placed_after, customer_id");
  }
}

const userStatuses = new Map<number, DomainUserStatus>([
  [UserStatus.PENDING, "PENDING"],
  [UserStatus.ACTIVE, "ACTIVE"],
  [UserStatus.SUSPENDED, "SUSPENDED"],
]);

const orderStatuses = new Map<number, DomainOrderStatus>([
  [OrderStatus.PLACED, "PLACED"],
  [OrderStatus.PAID, "PAID"],
  [OrderStatus.SHIPPED, "SHIPPED"],
  [OrderStatus.CANCELLED, "CANCELLED"],
]);

function enumValue<V>(values: Map<number, V>, value: number, field: string, prefix: string): V {
  const found = values.get(value);
  if (found === undefined) {
    throw new ValidationError(
      field,
      `must be one of ${[...values.values()].map((v) => `${prefix}_${String(v)}`).join(", ")}`,
    );
  }
  return found;
}

function emptyPredicate(path: string, choices: string): ValidationError {
  return new ValidationError(path, `set one of ${choices}`);
}

/** The proto field name of a oneof case, e.g. "executionDateBefore" -> "execution_date_before". */
export function snakeCase(name: string | undefined): string {
  return (name ?? "").replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}
