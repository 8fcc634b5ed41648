import { describe, expect, it } from "vitest";
import { AlreadyExistsError, InvariantViolation, NotFoundError } from "@conveyor/errors";
import { cancelOrders } from "./cancel-orders.ts";
import { decideOrder, evolveOrder, type OrderCommand, type OrderContext } from "./order.ts";
import type { Order, OrderStatus } from "./order-state.ts";

const id = "0190a000-0000-7000-8000-00000000000a";
const customerId = "0190a000-0000-7000-8000-00000000000c";
const address = { line1: "1 Main St", line2: "", city: "Berlin", postalCode: "10115", country: "de" };
const item = { sku: "SKU-1", quantity: 2, unitPriceMinor: 1999n };
const place: OrderCommand = {
  type: "PlaceOrder",
  customerId,
  orderDate: new Date("2026-01-02T03:04:05Z"),
  items: [item],
  shippingAddress: address,
};
const known: OrderContext = { customerExists: (candidate) => candidate === customerId };

function given(...commands: OrderCommand[]): Order | undefined {
  let state: Order | undefined;
  for (const command of commands) {
    for (const event of decideOrder(state, command, known)) state = evolveOrder(state, id, event);
  }
  return state;
}

const toStatus: Record<OrderStatus, OrderCommand[]> = {
  PLACED: [place],
  PAID: [place, { type: "MarkOrderPaid" }],
  SHIPPED: [place, { type: "MarkOrderPaid" }, { type: "ShipOrder" }],
  CANCELLED: [place, { type: "CancelOrder", reason: "changed my mind" }],
};
const inStatus = (status: OrderStatus) => given(...toStatus[status]);
const addItem: OrderCommand = {
  type: "AddOrderItem",
  item: { sku: "SKU-2", quantity: 1, unitPriceMinor: 0n },
};
const changeAddress: OrderCommand = {
  type: "ChangeShippingAddress",
  shippingAddress: { ...address, city: "Paris" },
};

describe("Order", () => {
  it("is placed with its items and a normalized address, at version 1", () => {
    expect(given(place)).toEqual({
      id,
      customerId,
      orderDate: place.orderDate,
      status: "PLACED",
      items: [item],
      shippingAddress: { ...address, country: "DE" },
      version: 1,
    });
  });

  it("needs an existing customer", () => {
    expect(() => decideOrder(undefined, place, { customerExists: () => false })).toThrow(NotFoundError);
  });

  it("can't be placed twice", () => {
    expect(() => decideOrder(given(place), place, known)).toThrow(AlreadyExistsError);
  });

  it.each([
    ["no items", { items: [] }],
    ["a zero quantity", { items: [{ ...item, quantity: 0 }] }],
    ["a negative quantity", { items: [{ ...item, quantity: -3 }] }],
    ["a fractional quantity", { items: [{ ...item, quantity: 1.5 }] }],
    ["a negative price", { items: [{ ...item, unitPriceMinor: -1n }] }],
    ["a blank SKU", { items: [{ ...item, sku: " " }] }],
    ["more than 100 lines", { items: Array.from({ length: 101 }, () => item) }],
    ["an address without a city", { shippingAddress: { ...address, city: "" } }],
    ["a country that is not alpha-2", { shippingAddress: { ...address, country: "Germany" } }],
    ["an invalid order date", { orderDate: new Date(Number.NaN) }],
  ])("refuses %s", (_case, change) => {
    expect(() => decideOrder(undefined, { ...place, ...change }, known)).toThrow(InvariantViolation);
  });

  it("adds items while placed, refusing a non-positive quantity", () => {
    expect(given(place, addItem)).toMatchObject({ items: [item, { sku: "SKU-2" }], version: 2 });
    const bad: OrderCommand = { type: "AddOrderItem", item: { ...item, quantity: 0 } };
    expect(() => decideOrder(given(place), bad, known)).toThrow(InvariantViolation);
  });

  it("refuses a 101st line", () => {
    const full = given({ ...place, items: Array.from({ length: 100 }, () => item) });
    expect(() => decideOrder(full, addItem, known)).toThrow(/at most 100 lines/);
  });

  it("moves through paid and shipped", () => {
    expect(inStatus("SHIPPED")).toMatchObject({ status: "SHIPPED", version: 3 });
  });

  it("records the cancel reason", () => {
    expect(inStatus("CANCELLED")).toMatchObject({ status: "CANCELLED", cancelReason: "changed my mind" });
  });

  const cases: [OrderCommand, OrderStatus[]][] = [
    [addItem, ["PLACED"]],
    [changeAddress, ["PLACED", "PAID"]],
    [{ type: "MarkOrderPaid" }, ["PLACED"]],
    [{ type: "ShipOrder" }, ["PAID"]],
    [{ type: "CancelOrder", reason: "" }, ["PLACED", "PAID"]],
  ];
  const statuses: OrderStatus[] = ["PLACED", "PAID", "SHIPPED", "CANCELLED"];
  for (const [command, allowed] of cases) {
    for (const status of statuses) {
      const allowedHere = allowed.includes(status);
      it(`${allowedHere ? "accepts" : "refuses"} ${command.type} when ${status}`, () => {
        const decide = () => decideOrder(inStatus(status), command, known);
        if (allowedHere) expect(decide).not.toThrow();
        else expect(decide).toThrow(InvariantViolation);
      });
    }
  }

  it("cancels exactly the orders the bulk CancelOrders operation would, with the same resulting state", () => {
    for (const status of statuses) {
      const order = inStatus(status)!;
      const bulk = cancelOrders(" too late ");
      if (bulk.classify(order) !== "changed") {
        expect(() => decideOrder(order, { type: "CancelOrder", reason: " too late " }, known)).toThrow(
          InvariantViolation,
        );
        continue;
      }
      const events = decideOrder(order, { type: "CancelOrder", reason: " too late " }, known);
      const cancelled = evolveOrder(order, id, events[0]!);
      expect({ ...bulk.execute(order).state, version: cancelled.version }).toEqual(cancelled);
    }
  });

  it.each<OrderCommand>([addItem, changeAddress, { type: "MarkOrderPaid" }, { type: "ShipOrder" }])(
    "refuses $type on an order that does not exist",
    (command) => {
      expect(() => decideOrder(undefined, command, known)).toThrow(NotFoundError);
    },
  );
});
