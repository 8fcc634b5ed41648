import { bulkCommand, storableText, type BulkCommand, type Specification } from "@conveyor/specification";
import type { OrderEvent } from "./order.ts";
import type { Order } from "./order-state.ts";
import { orderIsCancellable } from "./order-specifications.ts";

type OrderCancelled = Extract<OrderEvent, { type: "OrderCancelled" }>;

/** The longest cancel reason. */
export const maxCancelReasonLength = 500;

/**
 * Cancels orders, which only one placed and not yet shipped can be (paid ones included). Usable on one
 * order in memory (the batch CancelOrder) and on every selected order in SQL.
 */
export function cancelOrders(
  reason: string,
  ...restrictions: Specification<Order>[]
): BulkCommand<Order, OrderCancelled> {
  const trimmed = storableText(reason, "reason", maxCancelReasonLength).trim();
  return bulkCommand(
    {
      name: "CancelOrders",
      preconditions: [orderIsCancellable],
      assignments: { status: "CANCELLED", cancelReason: trimmed },
      event: () => ({ type: "OrderCancelled", reason: trimmed }),
      eventVariesWith: {},
    },
    restrictions,
  );
}
