import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import {
  OrderCancelledSchema,
  OrderItemAddedSchema,
  OrderPaidSchema,
  OrderPlacedSchema,
  OrderShippedSchema,
  OrderShippingAddressChangedSchema,
} from "@conveyor/proto/conveyor/events/v1/events_pb";
import type { EventWire } from "../batch/aggregate-kind.ts";
import { eventWire } from "../batch/event-wire.ts";
import type { OrderEvent } from "./domain/order.ts";

/** Maps a domain event to its protobuf message name and JSON payload (conveyor.events.v1). */
export function orderEventPayload(event: OrderEvent): EventWire {
  switch (event.type) {
    case "OrderPlaced":
      return eventWire(OrderPlacedSchema, {
        customerId: event.customerId,
        orderDate: timestampFromDate(event.orderDate),
        items: event.items,
        shippingAddress: event.shippingAddress,
      });
    case "OrderItemAdded":
      return eventWire(OrderItemAddedSchema, { item: event.item });
    case "OrderShippingAddressChanged":
      return eventWire(OrderShippingAddressChangedSchema, { shippingAddress: event.shippingAddress });
    case "OrderPaid":
      return eventWire(OrderPaidSchema, {});
    case "OrderShipped":
      return eventWire(OrderShippedSchema, {});
    case "OrderCancelled":
      return eventWire(OrderCancelledSchema, { reason: event.reason });
  }
}
