import type { EventEnvelope } from "@conveyor/proto/conveyor/events/v1/events_pb";
import type { Address, OrderItem } from "@conveyor/proto/conveyor/types/v1/types_pb";
import { requireNoRow, requireRow, requiredDate, stamp, unexpected } from "./event-fields.ts";
import { PoisonEvent } from "./poison-event.ts";
import type { VersionedRow } from "./versioned-fold.ts";

/** The order's own fields of read_orders (the customer's email and name are joined in by SQL). */
export interface OrderRow extends VersionedRow {
  orderId: string;
  orderDate: Date;
  status: string;
  customerId: string;
  /** Order lines (not units). */
  itemCount: number;
  /** Sum of quantity x unit price over the lines, in minor units. */
  totalMinor: bigint;
  shipping: ShippingFields;
}

export interface ShippingFields {
  line1: string;
  line2: string;
  city: string;
  postalCode: string;
  country: string;
}

/** The order row after `event`. Pure. */
export function evolveOrderRow(row: OrderRow | undefined, event: EventEnvelope): OrderRow {
  const { payload } = event;
  switch (payload.case) {
    case "orderPlaced":
      requireNoRow(row, event);
      return {
        orderId: event.aggregateId,
        orderDate: requiredDate(payload.value.orderDate, "order_date"),
        status: "PLACED",
        customerId: payload.value.customerId,
        itemCount: payload.value.items.length,
        totalMinor: payload.value.items.reduce((sum, item) => sum + lineTotal(item), 0n),
        shipping: shippingFields(payload.value.shippingAddress),
        ...stamp(event),
      };
    case "orderItemAdded": {
      const order = requireRow(row, event);
      if (!payload.value.item) throw new PoisonEvent("item is missing");
      return {
        ...order,
        itemCount: order.itemCount + 1,
        totalMinor: order.totalMinor + lineTotal(payload.value.item),
        ...stamp(event),
      };
    }
    case "orderShippingAddressChanged":
      return {
        ...requireRow(row, event),
        shipping: shippingFields(payload.value.shippingAddress),
        ...stamp(event),
      };
    case "orderPaid":
      return { ...requireRow(row, event), status: "PAID", ...stamp(event) };
    case "orderShipped":
      return { ...requireRow(row, event), status: "SHIPPED", ...stamp(event) };
    case "orderCancelled":
      return { ...requireRow(row, event), status: "CANCELLED", ...stamp(event) };
    default:
      return unexpected(event, "order");
  }
}

function lineTotal(item: OrderItem): bigint {
  return BigInt(item.quantity) * item.unitPriceMinor;
}

function shippingFields(address: Address | undefined): ShippingFields {
  if (!address) throw new PoisonEvent("shipping_address is missing");
  const { line1, line2, city, postalCode, country } = address;
  return { line1, line2, city, postalCode, country };
}
