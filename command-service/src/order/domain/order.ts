import { AlreadyExistsError, InvariantViolation, NotFoundError } from "@conveyor/errors";
import { cancelOrders } from "./cancel-orders.ts";
import type { Address, Order, OrderItem } from "./order-state.ts";
import { checkAddress, checkItem, maxOrderLines } from "./order-values.ts";

export type OrderCommand =
  | { type: "PlaceOrder"; customerId: string; orderDate: Date; items: OrderItem[]; shippingAddress: Address }
  | { type: "AddOrderItem"; item: OrderItem }
  | { type: "ChangeShippingAddress"; shippingAddress: Address }
  | { type: "MarkOrderPaid" }
  | { type: "ShipOrder" }
  | { type: "CancelOrder"; reason: string };

export type OrderEvent =
  | { type: "OrderPlaced"; customerId: string; orderDate: Date; items: OrderItem[]; shippingAddress: Address }
  | { type: "OrderItemAdded"; item: OrderItem }
  | { type: "OrderShippingAddressChanged"; shippingAddress: Address }
  | { type: "OrderPaid" }
  | { type: "OrderShipped" }
  | { type: "OrderCancelled"; reason: string };

/** What deciding an order needs to know beyond the order itself. */
export interface OrderContext {
  customerExists(customerId: string): boolean;
}

/** Decides the events a command produces, or throws why it can't apply. Pure. */
export function decideOrder(
  order: Order | undefined,
  command: OrderCommand,
  context: OrderContext,
): OrderEvent[] {
  if (command.type === "PlaceOrder") return [decidePlaceOrder(order, command, context)];
  if (!order) throw new NotFoundError("order does not exist");
  switch (command.type) {
    case "AddOrderItem":
      requireStatus(order, ["PLACED"], "add an item to");
      if (order.items.length >= maxOrderLines)
        throw new InvariantViolation(`an order has at most ${maxOrderLines} lines`);
      return [{ type: "OrderItemAdded", item: checkItem(command.item) }];
    case "ChangeShippingAddress":
      requireStatus(order, ["PLACED", "PAID"], "change the shipping address of");
      return [
        { type: "OrderShippingAddressChanged", shippingAddress: checkAddress(command.shippingAddress) },
      ];
    case "MarkOrderPaid":
      requireStatus(order, ["PLACED"], "mark as paid");
      return [{ type: "OrderPaid" }];
    case "ShipOrder":
      requireStatus(order, ["PAID"], "ship");
      return [{ type: "OrderShipped" }];
    case "CancelOrder": {
      // The bulk operation is the one home of "only a placed, not yet shipped order can be cancelled".
      const execution = cancelOrders(command.reason).execute(order);
      return execution.changed ? [execution.event] : [];
    }
  }
}

function decidePlaceOrder(
  order: Order | undefined,
  command: Extract<OrderCommand, { type: "PlaceOrder" }>,
  context: OrderContext,
): OrderEvent {
  if (order) throw new AlreadyExistsError(`order ${order.id} already exists`);
  if (!context.customerExists(command.customerId)) {
    throw new NotFoundError(`customer ${command.customerId} does not exist`);
  }
  if (command.items.length === 0) throw new InvariantViolation("an order needs at least one item");
  if (command.items.length > maxOrderLines)
    throw new InvariantViolation(`an order has at most ${maxOrderLines} lines`);
  if (Number.isNaN(command.orderDate.getTime()))
    throw new InvariantViolation("order date is not a valid date");
  return {
    type: "OrderPlaced",
    customerId: command.customerId,
    orderDate: command.orderDate,
    items: command.items.map(checkItem),
    shippingAddress: checkAddress(command.shippingAddress),
  };
}

/** Applies an event to the state; every event bumps the version by one. Pure. */
export function evolveOrder(order: Order | undefined, id: string, event: OrderEvent): Order {
  const version = (order?.version ?? 0) + 1;
  if (event.type === "OrderPlaced") {
    const { customerId, orderDate, items, shippingAddress } = event;
    return { id, customerId, orderDate, items, shippingAddress, status: "PLACED", version };
  }
  const current = existing(order);
  switch (event.type) {
    case "OrderItemAdded":
      return { ...current, items: [...current.items, event.item], version };
    case "OrderShippingAddressChanged":
      return { ...current, shippingAddress: event.shippingAddress, version };
    case "OrderPaid":
      return { ...current, status: "PAID", version };
    case "OrderShipped":
      return { ...current, status: "SHIPPED", version };
    case "OrderCancelled":
      return { ...current, status: "CANCELLED", cancelReason: event.reason, version };
  }
}

function requireStatus(order: Order, allowed: Order["status"][], action: string) {
  if (!allowed.includes(order.status)) {
    throw new InvariantViolation(`cannot ${action} an order that is ${order.status}`);
  }
}

function existing(order: Order | undefined): Order {
  if (!order) throw new NotFoundError("order does not exist");
  return order;
}
