import { describe, expect, it } from "vitest";
import { create, toJson, type DescMessage, type JsonValue } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import * as events from "@conveyor/proto/conveyor/events/v1/events_pb";
import { UserStatus } from "@conveyor/proto/conveyor/types/v1/types_pb";
import {
  decodeEnvelope,
  encodeEnvelope,
  encodeOutboxRecord,
  encodePlainRecord,
  envelopeOf,
  type OutboxRecord,
} from "./envelope-codec.ts";

const base: OutboxRecord = {
  id: "7",
  eventId: "0197a000-0000-7000-8000-000000000001",
  aggregateType: "ORDER",
  aggregateId: "0197a000-0000-7000-8000-000000000002",
  aggregateVersion: 3,
  eventType: "",
  payload: {},
  occurredAt: new Date("2026-03-01T10:00:00.123Z"),
  correlationId: "req",
  causationId: "req/0",
  traceContext: "",
};

const address = { line1: "Hauptstraße 1", line2: "", city: "Köln", postalCode: "50667", country: "DE" };
const item = { sku: "SKU-1", quantity: 3, unitPriceMinor: 1999n };
const date = (iso: string) => timestampFromDate(new Date(iso));

/** Payloads of every event type, in the JSON form the command service writes (toJson). */
const payloads: [DescMessage, OutboxRecord["aggregateType"], Record<string, unknown>][] = [
  [
    events.UserCreatedSchema,
    "USER",
    {
      email: "a@b.c",
      firstName: "Zoë",
      lastName: "",
      status: UserStatus.ACTIVE,
      roles: ["admin", "", "😀"],
    },
  ],
  [events.UserCreatedSchema, "USER", {}],
  [events.UserEmailChangedSchema, "USER", { email: "x@y.z", previousEmail: "a@b.c" }],
  [
    events.UserStatusChangedSchema,
    "USER",
    { status: UserStatus.SUSPENDED, previousStatus: UserStatus.ACTIVE },
  ],
  [events.UserRolesChangedSchema, "USER", { roles: [] }],
  [
    events.OrderPlacedSchema,
    "ORDER",
    {
      customerId: "0197a000-0000-7000-8000-000000000003",
      orderDate: date("2026-02-28T23:59:59.999Z"),
      items: [item, { sku: "", quantity: 0, unitPriceMinor: 0n }, { ...item, unitPriceMinor: 2n ** 50n }],
      shippingAddress: address,
    },
  ],
  [events.OrderItemAddedSchema, "ORDER", { item }],
  [events.OrderShippingAddressChangedSchema, "ORDER", { shippingAddress: {} }],
  [events.OrderPaidSchema, "ORDER", {}],
  [events.OrderShippedSchema, "ORDER", {}],
  [events.OrderCancelledSchema, "ORDER", { reason: "x".repeat(300) }],
  [
    events.TaskCreatedSchema,
    "TASK",
    { title: "t", month: 12, category: "c", executionDate: date("1970-01-01T00:00:00Z") },
  ],
  [events.TaskCreatedSchema, "TASK", { title: "burst task 1", month: 1, category: "burst" }],
  [events.TaskCompletedSchema, "TASK", {}],
  [events.TaskExecutionDateSetSchema, "TASK", { executionDate: date("2030-01-02T03:04:05Z") }],
];

function recordOf(
  schema: DescMessage,
  aggregateType: OutboxRecord["aggregateType"],
  init: Record<string, unknown>,
) {
  return {
    ...base,
    aggregateType,
    eventType: schema.typeName,
    payload: toJson(schema, create(schema, init)),
  };
}

function slowPath(record: OutboxRecord): Buffer | string {
  try {
    return Buffer.from(encodeEnvelope(envelopeOf(record)));
  } catch (error) {
    return `error: ${String(error)}`;
  }
}

function fastPath(record: OutboxRecord): Buffer | string {
  try {
    return encodeOutboxRecord(record);
  } catch (error) {
    return `error: ${String(error)}`;
  }
}

describe("encodeOutboxRecord", () => {
  it("writes the bytes toBinary writes, for every event type", () => {
    for (const [schema, type, init] of payloads) {
      const record = recordOf(schema, type, init);
      expect(encodePlainRecord(record), `${schema.typeName} takes the fast path`).toBeDefined();
      expect(fastPath(record), schema.typeName).toEqual(slowPath(record));
    }
  });

  it("writes the envelope fields at their edge values", () => {
    const [schema, type, init] = payloads[0]!;
    for (const change of [
      { aggregateVersion: 0 },
      { aggregateVersion: 2 ** 40 },
      { occurredAt: new Date(0) },
      { occurredAt: new Date("2026-01-01T00:00:00Z") },
      { eventId: "", correlationId: "", causationId: "ключ" },
    ]) {
      const record = { ...recordOf(schema, type, init), ...change };
      expect(fastPath(record), JSON.stringify(change)).toEqual(slowPath(record));
      expect(decodeEnvelope(fastPath(record) as Buffer).eventId).toBe(record.eventId);
    }
  });

  it("answers JSON outside the plain shape like fromJson: the same bytes or the same error", () => {
    const task = "conveyor.events.v1.TaskCreated";
    const variants: [string, JsonValue][] = [
      [task, { title: "t", month: "5" }],
      [task, { title: "t", month: 5.5 }],
      [task, { title: "t", month: -1 }],
      [task, { title: null, month: 2 }],
      [task, { title: "t", unknownField: 1 }],
      [task, { title: "t", execution_date: "2030-01-02T03:04:05Z" }],
      [task, { executionDate: "2030-01-02T03:04:05+02:00" }],
      [task, { executionDate: "2030-01-02T03:04:05.5Z" }],
      [task, { executionDate: "1969-12-31T23:59:59Z" }],
      [task, { executionDate: "2030-13-02T03:04:05Z" }],
      [task, { executionDate: "not a date" }],
      [task, []],
      [task, "text"],
      ["conveyor.events.v1.UserCreated", { status: 2, roles: ["a", 1] }],
      ["conveyor.events.v1.UserCreated", { status: "NO_SUCH_STATUS" }],
      ["conveyor.events.v1.OrderItemAdded", { item: { unitPriceMinor: 5 } }],
      ["conveyor.events.v1.OrderItemAdded", { item: { unitPriceMinor: "-5" } }],
      ["conveyor.events.v1.OrderItemAdded", { item: { unitPriceMinor: "99999999999999999999" } }],
      ["conveyor.events.v1.NoSuchEvent", {}],
    ];
    for (const [eventType, payload] of variants) {
      const record = { ...base, eventType, payload };
      expect(fastPath(record), JSON.stringify(payload)).toEqual(slowPath(record));
    }
    const odd = { ...base, eventType: task, payload: {}, aggregateVersion: 1.5 };
    expect(fastPath(odd)).toEqual(slowPath(odd));
  });
});
