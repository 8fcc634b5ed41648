import type { AggregateKind } from "../batch/aggregate-kind.ts";
import { decideOrder, evolveOrder, type OrderCommand, type OrderEvent } from "./domain/order.ts";
import type { Order } from "./domain/order-state.ts";
import { orderEventPayload } from "./order-event-payloads.ts";
import { loadOrders, orderWriteError, saveOrders } from "./order-store.ts";

/** The Order aggregate as the batch executor runs it; PlaceOrder needs its customer to exist first. */
export const orderAggregate: AggregateKind<Order, OrderCommand, OrderEvent> = {
  type: "ORDER",
  load: loadOrders,
  decide: (order, command, context) =>
    decideOrder(order, command, { customerExists: (id) => context.exists("USER", id) }),
  evolve: evolveOrder,
  wire: orderEventPayload,
  save: saveOrders,
  writeError: orderWriteError,
  dependencies: (command) =>
    command.type === "PlaceOrder" ? [{ id: command.customerId, type: "USER", role: "customer" }] : [],
};
