import { ValidationError } from "@conveyor/errors";
import type {
  AddOrderItem,
  CancelOrder,
  ChangeShippingAddress,
  PlaceOrder,
} from "@conveyor/proto/conveyor/command/v1/commands_pb";
import type { Address, OrderItem } from "@conveyor/proto/conveyor/types/v1/types_pb";
import { maxCancelReasonLength } from "../order/domain/cancel-orders.ts";
import type { OrderCommand } from "../order/domain/order.ts";
import type { Address as DomainAddress, OrderItem as DomainOrderItem } from "../order/domain/order-state.ts";
import { maxOrderLines } from "../order/domain/order-values.ts";
import { integerIn, listOf, optionalTimestamp, requiredText, text, uuid } from "./field-validation.ts";

export const orderFieldLimits = { sku: 64, quantity: 1_000_000, addressLine: 200, city: 100, postalCode: 20 };
const countryPattern = /^[A-Za-z]{2}$/;

/** `receivedAt` is the order date when the command names none. */
export function placeOrder(m: PlaceOrder, at: string, receivedAt: Date): OrderCommand {
  if (m.items.length === 0) throw new ValidationError(`${at}.items`, "must not be empty");
  return {
    type: "PlaceOrder",
    customerId: uuid(m.customerId, `${at}.customer_id`),
    orderDate: optionalTimestamp(m.orderDate, `${at}.order_date`) ?? receivedAt,
    items: listOf(m.items, `${at}.items`, maxOrderLines).map((item, i) =>
      orderItem(item, `${at}.items[${i}]`),
    ),
    shippingAddress: address(m.shippingAddress, `${at}.shipping_address`),
  };
}

export function addOrderItem(m: AddOrderItem, at: string): OrderCommand {
  if (!m.item) throw new ValidationError(`${at}.item`, "is required");
  return { type: "AddOrderItem", item: orderItem(m.item, `${at}.item`) };
}

export function changeShippingAddress(m: ChangeShippingAddress, at: string): OrderCommand {
  return {
    type: "ChangeShippingAddress",
    shippingAddress: address(m.shippingAddress, `${at}.shipping_address`),
  };
}

export function cancelOrder(m: CancelOrder, at: string): OrderCommand {
  return { type: "CancelOrder", reason: text(m.reason, `${at}.reason`, maxCancelReasonLength) };
}

function orderItem(item: OrderItem, at: string): DomainOrderItem {
  if (item.unitPriceMinor < 0n) {
    throw new ValidationError(`${at}.unit_price_minor`, "must not be negative");
  }
  return {
    sku: requiredText(item.sku, `${at}.sku`, orderFieldLimits.sku),
    quantity: integerIn(item.quantity, `${at}.quantity`, 1, orderFieldLimits.quantity),
    unitPriceMinor: item.unitPriceMinor,
  };
}

function address(value: Address | undefined, at: string): DomainAddress {
  if (!value) throw new ValidationError(at, "is required");
  if (!countryPattern.test(value.country)) {
    throw new ValidationError(`${at}.country`, "must be an ISO 3166-1 alpha-2 code, e.g. DE");
  }
  return {
    line1: requiredText(value.line1, `${at}.line1`, orderFieldLimits.addressLine),
    line2: text(value.line2, `${at}.line2`, orderFieldLimits.addressLine),
    city: requiredText(value.city, `${at}.city`, orderFieldLimits.city),
    postalCode: requiredText(value.postalCode, `${at}.postal_code`, orderFieldLimits.postalCode),
    country: value.country.toUpperCase(),
  };
}
