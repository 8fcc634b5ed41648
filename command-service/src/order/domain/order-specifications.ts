import { ValidationError } from "@conveyor/errors";
import {
  fieldAfter,
  fieldBefore,
  fieldEquals,
  named,
  or,
  storableDate,
  type Specification,
} from "@conveyor/specification";
import type { Order, OrderStatus } from "./order-state.ts";

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Orders in one status. */
export function orderHasStatus(status: OrderStatus): Specification<Order> {
  return fieldEquals("status", status, `status is ${status}`);
}

/** Placed and not yet shipped (paid or not): the orders that can still be cancelled. */
export const orderIsCancellable: Specification<Order> = named(
  "the order to be placed and not yet shipped",
  or(orderHasStatus("PLACED"), orderHasStatus("PAID")),
);

/** Orders placed strictly before `date`. */
export function orderPlacedBefore(date: Date): Specification<Order> {
  return fieldBefore<Order>(
    "orderDate",
    storableDate(date, "placed_before"),
    `placed before ${date.toISOString()}`,
  );
}

/** Orders placed strictly after `date`. */
export function orderPlacedAfter(date: Date): Specification<Order> {
  return fieldAfter<Order>(
    "orderDate",
    storableDate(date, "placed_after"),
    `placed after ${date.toISOString()}`,
  );
}

/** Orders of one customer (a UUID, any letter case). */
export function orderOfCustomer(customerId: string): Specification<Order> {
  const id = customerId.toLowerCase();
  if (!uuidPattern.test(id)) throw new ValidationError("customer_id", "must be a UUID");
  return fieldEquals("customerId", id, `customer is ${id}`);
}
