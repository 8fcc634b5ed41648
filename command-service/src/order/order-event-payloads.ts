import type { EventWire } from "../batch/aggregate-kind.ts";
import type { OrderEvent } from "./domain/order.ts";
import type { Address, OrderItem } from "./domain/order-state.ts";

// Hand-written protobuf JSON (conveyor.events.v1): building each payload through protobuf-es reflection
// cost several microseconds per event. order-event-payloads.unit.spec.ts checks them against the schemas.

/** Maps a domain event to its protobuf message name and JSON payload (conveyor.events.v1). */
export function orderEventPayload(event: OrderEvent): EventWire {
  const eventType = `conveyor.events.v1.${event.type}`;
  switch (event.type) {
    case "OrderPlaced":
      return {
        eventType,
        payload: {
          customerId: event.customerId,
          orderDate: event.orderDate.toISOString(),
          items: event.items.map(itemJson),
          shippingAddress: addressJson(event.shippingAddress),
        },
      };
    case "OrderItemAdded":
      return { eventType, payload: { item: itemJson(event.item) } };
    case "OrderShippingAddressChanged":
      return { eventType, payload: { shippingAddress: addressJson(event.shippingAddress) } };
    case "OrderPaid":
    case "OrderShipped":
      return { eventType, payload: {} };
    case "OrderCancelled":
      return { eventType, payload: { reason: event.reason } };
  }
}

/** int64 is a string in protobuf JSON. */
function itemJson(item: OrderItem) {
  return { sku: item.sku, quantity: item.quantity, unitPriceMinor: item.unitPriceMinor.toString() };
}

function addressJson(address: Address) {
  const { line1, line2, city, postalCode, country } = address;
  return { line1, line2, city, postalCode, country };
}
