import { describe, expect, it } from "vitest";
import { create, fromJson, type DescMessage, type JsonValue } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { EventEnvelopeSchema } from "@conveyor/proto/conveyor/events/v1/events_pb";
import type { OrderEvent } from "./domain/order.ts";
import { orderEventPayload } from "./order-event-payloads.ts";

const schemaOf = (eventType: string): DescMessage =>
  EventEnvelopeSchema.fields.find((field) => field.message?.typeName === eventType)!.message!;
const parsed = (event: OrderEvent) => {
  const { eventType, payload } = orderEventPayload(event);
  const schema = schemaOf(eventType);
  return { schema, message: fromJson(schema, payload as JsonValue) };
};

const address = { line1: "1 Main St", line2: "", city: "Berlin", postalCode: "10115", country: "DE" };
const item = { sku: "SKU-1", quantity: 3, unitPriceMinor: 9_007_199_254_740_993n };
const date = new Date("2026-01-02T03:04:05.678Z");

describe("order event payloads", () => {
  it.each<[OrderEvent, Record<string, unknown>]>([
    [
      { type: "OrderPlaced", customerId: "c", orderDate: date, items: [item], shippingAddress: address },
      { customerId: "c", orderDate: timestampFromDate(date), items: [item], shippingAddress: address },
    ],
    [{ type: "OrderItemAdded", item }, { item }],
    [{ type: "OrderShippingAddressChanged", shippingAddress: address }, { shippingAddress: address }],
    [{ type: "OrderPaid" }, {}],
    [{ type: "OrderShipped" }, {}],
    [{ type: "OrderCancelled", reason: "late" }, { reason: "late" }],
  ])("parse as their conveyor.events.v1 message: %o", (event, expected) => {
    const { schema, message } = parsed(event);
    expect(schema.typeName).toBe(`conveyor.events.v1.${event.type}`);
    expect(message).toEqual(create(schema, expected));
  });
});
