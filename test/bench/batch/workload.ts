import { create, type MessageInitShape } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { CommandSchema, type Command } from "@conveyor/proto/conveyor/command/v1/commands_pb";
import { UserStatus } from "@conveyor/proto/conveyor/types/v1/types_pb";
import { v7 as uuidv7 } from "uuid";

const address = { line1: "1 Bench Street", city: "Berlin", postalCode: "10115", country: "DE" };

/**
 * `aggregates` new aggregates (40% users, 30% orders, 30% tasks) with `perAggregate` commands each,
 * interleaved round-robin the way an import file mixes them. Orders belong to users of the same
 * workload, so they depend on those users' groups.
 */
export function mixedWorkload(aggregates: number, perAggregate: number): Command[] {
  const users = Math.round(aggregates * 0.4);
  const orders = Math.round(aggregates * 0.3);
  const userIds = Array.from({ length: users }, () => uuidv7());
  const streams = [
    ...userIds.map((id) => userCommands(id, perAggregate)),
    ...Array.from({ length: orders }, (_, i) => orderCommands(uuidv7(), userIds[i % users]!, perAggregate)),
    ...Array.from({ length: aggregates - users - orders }, () => taskCommands(uuidv7(), perAggregate)),
  ];
  return Array.from({ length: perAggregate }, (_, step) => streams.map((stream) => stream[step]!)).flat();
}

function userCommands(id: string, count: number): Command[] {
  const commands = [
    command(id, {
      case: "createUser",
      value: { email: `${id}@bench.example`, firstName: "B", lastName: "U" },
    }),
  ];
  for (let i = 1; i < count; i += 1) {
    commands.push(
      i % 2 === 1
        ? command(id, {
            case: "updateUserStatus",
            value: { status: i % 4 === 1 ? UserStatus.ACTIVE : UserStatus.SUSPENDED },
          })
        : command(id, { case: "updateUserRoles", value: { roles: [`role-${i}`] } }),
    );
  }
  return commands;
}

function orderCommands(id: string, customerId: string, count: number): Command[] {
  const item = (i: number) => ({ sku: `SKU-${i}`, quantity: 1 + (i % 3), unitPriceMinor: BigInt(100 * i) });
  const commands = [
    command(id, { case: "placeOrder", value: { customerId, items: [item(0)], shippingAddress: address } }),
  ];
  for (let i = 1; i < count - 1; i += 1)
    commands.push(command(id, { case: "addOrderItem", value: { item: item(i) } }));
  commands.push(command(id, { case: "markOrderPaid", value: {} }));
  return commands;
}

function taskCommands(id: string, count: number): Command[] {
  const commands = [
    command(id, {
      case: "createTask",
      value: { title: "Bench task", month: 1 + (id.charCodeAt(35) % 12), category: "bench" },
    }),
  ];
  for (let i = 1; i < count - 1; i += 1) {
    const executionDate = timestampFromDate(new Date(Date.UTC(2026, 0, i)));
    commands.push(command(id, { case: "setTaskExecutionDate", value: { executionDate } }));
  }
  commands.push(command(id, { case: "completeTask", value: {} }));
  return commands;
}

function command(aggregateId: string, body: MessageInitShape<typeof CommandSchema>["command"]): Command {
  return create(CommandSchema, { aggregateId, command: body });
}
