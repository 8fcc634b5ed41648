import { describe, expect, it } from "vitest";
import { create, fromBinary, toBinary, type MessageInitShape } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import * as events from "@conveyor/proto/conveyor/events/v1/events_pb";
import { AggregateType } from "@conveyor/proto/conveyor/types/v1/types_pb";
import { decodeEnvelope } from "./envelope-codec.ts";
import { decodePlainEnvelope } from "./envelope-decoder.ts";

const { EventEnvelopeSchema } = events;

const envelope = (init: MessageInitShape<typeof EventEnvelopeSchema>) =>
  toBinary(
    EventEnvelopeSchema,
    create(EventEnvelopeSchema, {
      eventId: "0197a000-0000-7000-8000-000000000001",
      aggregateType: AggregateType.TASK,
      aggregateId: "0197a000-0000-7000-8000-000000000002",
      aggregateVersion: 3n,
      eventType: "conveyor.events.v1.TaskCreated",
      occurredAt: timestampFromDate(new Date("2026-03-01T10:00:00.123Z")),
      correlationId: "req",
      causationId: "req/0",
      payload: { case: "taskCreated", value: { title: "Zoë 😀", month: 12, category: "c" } },
      ...init,
    }),
  );

const plain: [string, Uint8Array][] = [
  ["a task event", envelope({})],
  ["the empty envelope", new Uint8Array()],
  ["defaults", envelope({ eventId: "", aggregateVersion: 0n, occurredAt: undefined, aggregateType: 0 })],
  ["epoch", envelope({ occurredAt: { $typeName: "google.protobuf.Timestamp", seconds: 0n, nanos: 0 } })],
  ["a big version", envelope({ aggregateVersion: 2n ** 31n - 1n })],
  ["an empty payload", envelope({ payload: { case: "orderPaid", value: create(events.OrderPaidSchema) } })],
  [
    "an order",
    envelope({
      payload: {
        case: "orderPlaced",
        value: create(events.OrderPlacedSchema, {
          customerId: "c",
          items: [{ sku: "s", quantity: 2, unitPriceMinor: 2n ** 50n }],
          shippingAddress: { city: "Köln" },
        }),
      },
    }),
  ],
  [
    "fields twice (the last wins)",
    concat(envelope({}), envelope({ eventId: "again", occurredAt: undefined, payload: { case: undefined } })),
  ],
  ["a leading byte order mark", envelope({ correlationId: "\ufeffreq" })],
];

const odd: [string, Uint8Array][] = [
  ["an unknown field", concat(envelope({}), new Uint8Array([0x98, 0x06, 0x01]))],
  ["a payload twice", concat(envelope({}), envelope({}))],
  [
    "two payload cases",
    concat(
      envelope({}),
      envelope({ payload: { case: "taskCompleted", value: create(events.TaskCompletedSchema) } }),
    ),
  ],
  ["a negative version", envelope({ aggregateVersion: -1n })],
  ["a huge version", envelope({ aggregateVersion: 2n ** 60n })],
  ["a negative time", envelope({ occurredAt: timestampFromDate(new Date("1960-01-01T00:00:00Z")) })],
  ["a wrong wire type", new Uint8Array([0x08, 0x00])],
  ["a truncated string", envelope({}).subarray(0, 20)],
  ["a truncated varint", new Uint8Array([0x10, 0x80])],
  ["field number 0", new Uint8Array([0x00, 0x00])],
  ["invalid UTF-8", withString(7, [0x61, 0xff, 0xc3, 0x28, 0xe2, 0x82, 0xf0, 0x9f, 0x98, 0x62])],
];

function concat(...parts: Uint8Array[]): Uint8Array {
  return new Uint8Array(Buffer.concat(parts));
}

function withString(field: number, bytes: number[]): Uint8Array {
  return concat(envelope({}), new Uint8Array([field * 8 + 2, bytes.length, ...bytes]));
}

function reflected(bytes: Uint8Array): events.EventEnvelope | string {
  try {
    return fromBinary(EventEnvelopeSchema, bytes);
  } catch (error) {
    return `error: ${String(error)}`;
  }
}

function decoded(bytes: Uint8Array): events.EventEnvelope | string {
  try {
    return decodeEnvelope(bytes);
  } catch (error) {
    return `error: ${String(error)}`;
  }
}

describe("decodeEnvelope", () => {
  it("reads plain envelopes by hand into what fromBinary returns", () => {
    for (const [name, bytes] of plain) {
      expect(decodePlainEnvelope(bytes), `${name} takes the fast path`).toBeDefined();
      expect(decodePlainEnvelope(Buffer.from(bytes)), name).toStrictEqual(reflected(bytes));
      expect(decodePlainEnvelope(bytes), name).toStrictEqual(reflected(bytes));
    }
  });

  it("leaves everything else to fromBinary: the same message or the same error", () => {
    for (const [name, bytes] of odd) {
      expect(decodePlainEnvelope(bytes), `${name} is not plain`).toBeUndefined();
      expect(decoded(bytes), name).toStrictEqual(reflected(bytes));
    }
  });
});
