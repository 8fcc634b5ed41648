export type OrderStatus = "PLACED" | "PAID" | "SHIPPED" | "CANCELLED";

/** A line of an order; money in integer minor units. */
export interface OrderItem {
  sku: string;
  quantity: number;
  unitPriceMinor: bigint;
}

/** Value object: replaced whole. */
export interface Address {
  line1: string;
  line2: string;
  city: string;
  postalCode: string;
  country: string;
}

/** An Order aggregate's state. */
export interface Order {
  id: string;
  customerId: string;
  orderDate: Date;
  status: OrderStatus;
  items: OrderItem[];
  shippingAddress: Address;
  /** Set when the order is cancelled. */
  cancelReason?: string;
  version: number;
}
