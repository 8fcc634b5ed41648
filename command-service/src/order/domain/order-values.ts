import { InvariantViolation } from "@conveyor/errors";
import type { Address, OrderItem } from "./order-state.ts";

export const maxOrderLines = 100;

/** An order line needs a SKU, a positive whole quantity and a non-negative price. */
export function checkItem(item: OrderItem): OrderItem {
  const sku = item.sku.trim();
  if (sku === "") throw new InvariantViolation("an item needs a SKU");
  if (!Number.isInteger(item.quantity) || item.quantity <= 0) {
    throw new InvariantViolation(`quantity of ${sku} must be a positive whole number, got ${item.quantity}`);
  }
  if (item.unitPriceMinor < 0n) throw new InvariantViolation(`unit price of ${sku} must not be negative`);
  return { sku, quantity: item.quantity, unitPriceMinor: item.unitPriceMinor };
}

const countryPattern = /^[A-Z]{2}$/;

/** A shipping address needs a first line, a city, a postal code and an ISO 3166-1 alpha-2 country. */
export function checkAddress(address: Address): Address {
  const trimmed: Address = {
    line1: address.line1.trim(),
    line2: address.line2.trim(),
    city: address.city.trim(),
    postalCode: address.postalCode.trim(),
    country: address.country.trim().toUpperCase(),
  };
  for (const field of ["line1", "city", "postalCode"] as const) {
    if (trimmed[field] === "") throw new InvariantViolation(`shipping address needs ${field}`);
  }
  if (!countryPattern.test(trimmed.country)) {
    throw new InvariantViolation(
      `shipping country must be an ISO 3166-1 alpha-2 code, got "${address.country}"`,
    );
  }
  return trimmed;
}
