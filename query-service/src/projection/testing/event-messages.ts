import { randomUUID } from "node:crypto";
import { create, toBinary, type MessageInitShape } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { EventEnvelopeSchema } from "@conveyor/proto/conveyor/events/v1/events_pb";
import { AggregateType } from "@conveyor/proto/conveyor/types/v1/types_pb";
import type { Message } from "kafkajs";

type Payload = MessageInitShape<typeof EventEnvelopeSchema>["payload"];

const typeNames: Record<string, string> = {
  userCreated: "UserCreated",
  userEmailChanged: "UserEmailChanged",
  userStatusChanged: "UserStatusChanged",
  orderPlaced: "OrderPlaced",
  orderItemAdded: "OrderItemAdded",
  orderCancelled: "OrderCancelled",
  taskCreated: "TaskCreated",
  taskCompleted: "TaskCompleted",
  taskExecutionDateSet: "TaskExecutionDateSet",
};

/** A Kafka message holding one event envelope, keyed by aggregate id, as the relay would publish it. */
export function eventMessage(
  aggregateType: AggregateType,
  aggregateId: string,
  version: number,
  payload: NonNullable<Payload>,
  occurredAt = new Date("2026-03-01T10:00:00Z"),
): Message {
  const eventType = `conveyor.events.v1.${typeNames[payload.case!]}`;
  const envelope = create(EventEnvelopeSchema, {
    eventId: randomUUID(),
    aggregateType,
    aggregateId,
    aggregateVersion: BigInt(version),
    eventType,
    occurredAt: timestampFromDate(occurredAt),
    correlationId: "test",
    causationId: "test/0",
    payload,
  });
  return {
    key: aggregateId,
    value: Buffer.from(toBinary(EventEnvelopeSchema, envelope)),
    headers: { ce_type: eventType },
  };
}

export const userCreated = (
  id: string,
  version: number,
  email: string,
  firstName = "Ada",
  lastName = "Lovelace",
) =>
  eventMessage(AggregateType.USER, id, version, {
    case: "userCreated",
    value: { email, firstName, lastName, status: 2, roles: ["buyer"] },
  });

export const userEmailChanged = (id: string, version: number, email: string) =>
  eventMessage(AggregateType.USER, id, version, { case: "userEmailChanged", value: { email } });

export const orderPlaced = (
  id: string,
  customerId: string,
  items: { quantity: number; unitPriceMinor: bigint }[],
) =>
  eventMessage(AggregateType.ORDER, id, 1, {
    case: "orderPlaced",
    value: {
      customerId,
      orderDate: timestampFromDate(new Date("2026-02-01T00:00:00Z")),
      items: items.map((item, i) => ({ sku: `sku-${i}`, ...item })),
      shippingAddress: { line1: "1 Main St", line2: "", city: "Berlin", postalCode: "10115", country: "DE" },
    },
  });

export const orderItemAdded = (id: string, version: number, quantity: number, unitPriceMinor: bigint) =>
  eventMessage(AggregateType.ORDER, id, version, {
    case: "orderItemAdded",
    value: { item: { sku: `sku-v${version}`, quantity, unitPriceMinor } },
  });

export const orderCancelled = (id: string, version: number) =>
  eventMessage(AggregateType.ORDER, id, version, { case: "orderCancelled", value: { reason: "test" } });

export const taskCreated = (id: string, title: string, month = 3) =>
  eventMessage(AggregateType.TASK, id, 1, { case: "taskCreated", value: { title, month, category: "test" } });

export const taskCompleted = (id: string, version: number) =>
  eventMessage(AggregateType.TASK, id, version, { case: "taskCompleted", value: {} });

export { randomUUID as newId };
