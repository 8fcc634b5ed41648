import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import {
  CreateTaskSchema,
  CreateUserSchema,
  PlaceOrderSchema,
} from "@conveyor/proto/conveyor/command/v1/commands_pb";
import { AddressSchema, OrderItemSchema } from "@conveyor/proto/conveyor/types/v1/types_pb";
import { defaultMaxBatchBytes, relayBatchBytesOf, topicsFor, type OutboxRecord } from "@conveyor/messaging";
import { describe, expect, it } from "vitest";
import { maxRequestIdLength } from "../api/batch-request-mapping.ts";
import { orderFieldLimits, placeOrder } from "../api/order-command-mapping.ts";
import { createTask, taskFieldLimits } from "../api/task-command-mapping.ts";
import { createUser, userFieldLimits } from "../api/user-command-mapping.ts";
import type { EventWire } from "../batch/aggregate-kind.ts";
import { maxOrderLines } from "../order/domain/order-values.ts";
import { decideOrder } from "../order/domain/order.ts";
import { orderEventPayload } from "../order/order-event-payloads.ts";
import { decideTask } from "../task/domain/task.ts";
import { taskEventPayload } from "../task/task-event-payloads.ts";
import { decideUser } from "../user/domain/user.ts";
import { userEventPayload } from "../user/user-event-payloads.ts";

// Text limits count UTF-16 code units (String#length). A 4-byte UTF-8 character takes two of them
// (2 bytes per unit); a 3-byte one (U+0800-U+FFFF) takes one: the most UTF-8 bytes a limit admits.
const widest = "€";
const longest = (limit: number) => widest.repeat(limit);
const uuid = "0190a5b2-7c3d-7e4f-8a9b-0c1d2e3f4a5b";
const traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
const received = new Date("2026-11-24T06:00:00.000Z");
const topics = topicsFor("conveyor");

/** The outbox row of an event as a batch writes it, with the longest request id and command index. */
function outboxRow(aggregateType: OutboxRecord["aggregateType"], wire: EventWire): OutboxRecord {
  const requestId = longest(maxRequestIdLength);
  return {
    id: "9223372036854775807",
    eventId: uuid,
    aggregateType,
    aggregateId: uuid,
    aggregateVersion: Number.MAX_SAFE_INTEGER,
    eventType: wire.eventType,
    payload: JSON.parse(JSON.stringify(wire.payload)) as OutboxRecord["payload"],
    occurredAt: received,
    correlationId: requestId,
    causationId: `${requestId}/${Number.MAX_SAFE_INTEGER}`,
    traceContext: traceparent,
  };
}

function largestPlaceOrder() {
  const item = create(OrderItemSchema, {
    sku: longest(orderFieldLimits.sku),
    quantity: orderFieldLimits.quantity,
    unitPriceMinor: 9_223_372_036_854_775_807n,
  });
  const command = placeOrder(
    create(PlaceOrderSchema, {
      customerId: uuid,
      orderDate: timestampFromDate(received),
      items: Array.from({ length: maxOrderLines }, () => item),
      shippingAddress: create(AddressSchema, {
        line1: longest(orderFieldLimits.addressLine),
        line2: longest(orderFieldLimits.addressLine),
        city: longest(orderFieldLimits.city),
        postalCode: longest(orderFieldLimits.postalCode),
        country: "DE",
      }),
    }),
    "commands[0].place_order",
    received,
  );
  const [event] = decideOrder(undefined, command, { customerExists: () => true });
  return outboxRow("ORDER", orderEventPayload(event!));
}

function largestCreateUser() {
  const command = createUser(
    create(CreateUserSchema, {
      email: `${"a".repeat(userFieldLimits.email - 6)}@b.com`,
      firstName: longest(userFieldLimits.name),
      lastName: longest(userFieldLimits.name),
      roles: Array.from({ length: userFieldLimits.roles }, (_, i) =>
        `${i}`.padEnd(userFieldLimits.role, widest),
      ),
    }),
    "commands[0].create_user",
  );
  const [event] = decideUser(undefined, command);
  return outboxRow("USER", userEventPayload(event!));
}

function largestCreateTask() {
  const command = createTask(
    create(CreateTaskSchema, {
      title: longest(taskFieldLimits.title),
      month: 12,
      category: longest(taskFieldLimits.category),
      executionDate: timestampFromDate(received),
    }),
    "commands[0].create_task",
  );
  const [event] = decideTask(undefined, command);
  return outboxRow("TASK", taskEventPayload(event!));
}

describe("the largest event a command can produce", () => {
  it("is a PlaceOrder with the most lines and every field at its limit, under the relay's default byte cap", () => {
    const row = largestPlaceOrder();
    const bytes = relayBatchBytesOf(row, topics);
    // The row is an encodable event, at the size its fields allow (not a dead letter).
    expect(bytes).toBeGreaterThan(maxOrderLines * orderFieldLimits.sku * Buffer.byteLength(widest));
    expect(bytes).toBeLessThanOrEqual(defaultMaxBatchBytes);
  });

  it("is under the cap for users and tasks too, every field at its limit", () => {
    for (const row of [largestCreateUser(), largestCreateTask()]) {
      const bytes = relayBatchBytesOf(row, topics);
      expect(bytes).toBeGreaterThan(400 * Buffer.byteLength(widest));
      expect(bytes).toBeLessThanOrEqual(defaultMaxBatchBytes);
    }
  });
});
