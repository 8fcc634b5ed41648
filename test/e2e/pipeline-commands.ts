import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import type { MessageInitShape } from "@bufbuild/protobuf";
import { v7 as uuidv7 } from "uuid";
import type { CommandSchema } from "@conveyor/proto/conveyor/command/v1/commands_pb";

type Command = MessageInitShape<typeof CommandSchema>;

const address = { line1: "1 Main St", line2: "Floor 2", city: "Berlin", postalCode: "10115", country: "DE" };

/** Three batches touching every projection: users; their orders and some tasks; then changes to all of them. */
export function mixedWorkload(users = 5, ordersPerUser = 3, tasks = 6): Command[][] {
  const userIds = Array.from({ length: users }, () => uuidv7());
  const orderIds = userIds.flatMap((customerId) =>
    Array.from({ length: ordersPerUser }, () => ({ id: uuidv7(), customerId })),
  );
  const taskIds = Array.from({ length: tasks }, () => uuidv7());
  const createUsers: Command[] = userIds.map((id, i) => ({
    aggregateId: id,
    command: {
      case: "createUser",
      value: {
        email: `user${i}-${id}@example.com`,
        firstName: `First${i}`,
        lastName: "Last",
        roles: ["buyer"],
      },
    },
  }));
  const placeAndCreate: Command[] = [
    ...orderIds.map(({ id, customerId }, i) => ({
      aggregateId: id,
      command: {
        case: "placeOrder" as const,
        value: {
          customerId,
          orderDate: timestampFromDate(new Date(Date.UTC(2026, 0, 1 + i))),
          items: [{ sku: "sku-a", quantity: 1 + (i % 3), unitPriceMinor: 1999n }],
          shippingAddress: address,
        },
      },
    })),
    ...taskIds.map((id, i) => ({
      aggregateId: id,
      command: {
        case: "createTask" as const,
        value: { title: `task ${i}`, month: 1 + (i % 12), category: i % 2 ? "odd" : "even" },
      },
    })),
  ];
  const changes: Command[] = [
    ...userIds.slice(0, 2).map((id) => ({
      aggregateId: id,
      command: { case: "updateUserEmail" as const, value: { email: `changed-${id}@example.org` } },
    })),
    ...orderIds.slice(0, 4).map(({ id }) => ({
      aggregateId: id,
      command: {
        case: "addOrderItem" as const,
        value: { item: { sku: "sku-b", quantity: 2, unitPriceMinor: 250n } },
      },
    })),
    { aggregateId: orderIds[4]!.id, command: { case: "cancelOrder", value: { reason: "changed my mind" } } },
    { aggregateId: orderIds[5]!.id, command: { case: "markOrderPaid", value: {} } },
    { aggregateId: taskIds[0]!, command: { case: "completeTask", value: {} } },
    {
      aggregateId: taskIds[1]!,
      command: {
        case: "setTaskExecutionDate",
        value: { executionDate: timestampFromDate(new Date("2026-05-01T09:00:00Z")) },
      },
    },
  ];
  return [createUsers, placeAndCreate, changes];
}
