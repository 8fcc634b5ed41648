import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Metadata, status as GrpcStatus, type ServiceError } from "@grpc/grpc-js";
import type { MessageInitShape } from "@bufbuild/protobuf";
import type {
  BatchExecuteRequestSchema,
  TransactionMode,
} from "@conveyor/proto/conveyor/command/v1/batch_pb";
import type { UserStatus } from "@conveyor/proto/conveyor/types/v1/types_pb";
import { FIELD_METADATA_KEY } from "@conveyor/runtime";
import { startBatchTestServer, type BatchTestServer } from "./testing/batch-test-server.ts";
import { address, createTask, createUser, item, newId, type CommandInit } from "./testing/commands.ts";

let server: BatchTestServer;
beforeAll(async () => {
  server = await startBatchTestServer("batch_bad_input");
});
afterAll(() => server.stop());

type Request = MessageInitShape<typeof BatchExecuteRequestSchema>;
const id = newId();
/** A valid first command, so every bad one sits at index 1 and nothing may run before validation ends. */
const withValidFirst = (bad: CommandInit): Request => ({
  requestId: newId(),
  commands: [createTask(newId()), bad],
});
const on = (body: CommandInit["command"], aggregateId = id): Request =>
  withValidFirst({ aggregateId, command: body });
const long = (length: number) => "x".repeat(length);
const placeOrder = (value: Record<string, unknown>) =>
  on({ case: "placeOrder", value: { customerId: id, items: [item()], shippingAddress: address, ...value } });
const createUserWith = (value: Record<string, unknown>) =>
  on({ case: "createUser", value: { email: "a@example.com", firstName: "A", lastName: "B", ...value } });
const createTaskWith = (value: Record<string, unknown>) =>
  on({ case: "createTask", value: { title: "T", month: 1, category: "c", ...value } });

const cases: [string, Request, string][] = [
  [
    "an aggregate id that is not a UUID",
    withValidFirst({ ...createTask(id), aggregateId: "task-1" }),
    "commands[1].aggregate_id",
  ],
  [
    "an empty aggregate id",
    withValidFirst({ ...createTask(id), aggregateId: "" }),
    "commands[1].aggregate_id",
  ],
  [
    "a customer id that is not a UUID",
    placeOrder({ customerId: "0190a000" }),
    "commands[1].place_order.customer_id",
  ],
  [
    "a negative expected version",
    withValidFirst({ ...createTask(id), expectedVersion: -1n }),
    "commands[1].expected_version",
  ],
  ["no command", on(undefined), "commands[1].command"],
  [
    "an unknown user status",
    on({ case: "updateUserStatus", value: { status: 99 as UserStatus } }),
    "commands[1].update_user_status.status",
  ],
  [
    "an unspecified user status",
    on({ case: "updateUserStatus", value: { status: 0 } }),
    "commands[1].update_user_status.status",
  ],
  ["an empty email", createUserWith({ email: "" }), "commands[1].create_user.email"],
  ["a blank first name", createUserWith({ firstName: "  " }), "commands[1].create_user.first_name"],
  ["an oversized email", createUserWith({ email: `${long(250)}@x.io` }), "commands[1].create_user.email"],
  ["an oversized last name", createUserWith({ lastName: long(201) }), "commands[1].create_user.last_name"],
  [
    "too many roles",
    createUserWith({ roles: Array.from({ length: 33 }, (_, i) => `r${i}`) }),
    "commands[1].create_user.roles",
  ],
  [
    "an empty role",
    on({ case: "updateUserRoles", value: { roles: ["a", ""] } }),
    "commands[1].update_user_roles.roles[1]",
  ],
  [
    "an oversized role",
    on({ case: "updateUserRoles", value: { roles: [long(65)] } }),
    "commands[1].update_user_roles.roles[0]",
  ],
  ["a NUL character", createTaskWith({ title: "a\u0000b" }), "commands[1].create_task.title"],
  ["an empty title", createTaskWith({ title: "" }), "commands[1].create_task.title"],
  ["an oversized title", createTaskWith({ title: long(201) }), "commands[1].create_task.title"],
  ["month 0", createTaskWith({ month: 0 }), "commands[1].create_task.month"],
  ["month 13", createTaskWith({ month: 13 }), "commands[1].create_task.month"],
  [
    "negative timestamp nanos",
    createTaskWith({ executionDate: { seconds: 0n, nanos: -1 } }),
    "commands[1].create_task.execution_date.nanos",
  ],
  [
    "a date after year 9999",
    createTaskWith({ executionDate: { seconds: 300_000_000_000n, nanos: 0 } }),
    "commands[1].create_task.execution_date",
  ],
  [
    "a missing execution date",
    on({ case: "setTaskExecutionDate", value: {} }),
    "commands[1].set_task_execution_date.execution_date",
  ],
  ["a zero quantity", placeOrder({ items: [item("A", 0)] }), "commands[1].place_order.items[0].quantity"],
  [
    "a negative quantity",
    on({ case: "addOrderItem", value: { item: item("A", -2) } }),
    "commands[1].add_order_item.item.quantity",
  ],
  [
    "a negative price",
    placeOrder({ items: [item(), item("B", 1, -5n)] }),
    "commands[1].place_order.items[1].unit_price_minor",
  ],
  ["an empty SKU", placeOrder({ items: [item("")] }), "commands[1].place_order.items[0].sku"],
  ["an oversized SKU", placeOrder({ items: [item(long(65))] }), "commands[1].place_order.items[0].sku"],
  ["no items", placeOrder({ items: [] }), "commands[1].place_order.items"],
  [
    "too many items",
    placeOrder({ items: Array.from({ length: 101 }, () => item()) }),
    "commands[1].place_order.items",
  ],
  ["a missing item", on({ case: "addOrderItem", value: {} }), "commands[1].add_order_item.item"],
  [
    "a missing address",
    placeOrder({ shippingAddress: undefined }),
    "commands[1].place_order.shipping_address",
  ],
  [
    "an empty city",
    placeOrder({ shippingAddress: { ...address, city: "" } }),
    "commands[1].place_order.shipping_address.city",
  ],
  [
    "a three-letter country",
    on({ case: "changeShippingAddress", value: { shippingAddress: { ...address, country: "DEU" } } }),
    "commands[1].change_shipping_address.shipping_address.country",
  ],
  [
    "an oversized cancel reason",
    on({ case: "cancelOrder", value: { reason: long(501) } }),
    "commands[1].cancel_order.reason",
  ],
  [
    "one id for two aggregate types",
    { requestId: newId(), commands: [createUser(id), createTask(id)] },
    "commands[1].aggregate_id",
  ],
  ["an empty request id", { requestId: "", commands: [createTask(newId())] }, "request_id"],
  ["no commands", { requestId: newId(), commands: [] }, "commands"],
  [
    "an unknown transaction mode",
    {
      requestId: newId(),
      commands: [createTask(newId())],
      options: { transactionMode: 7 as TransactionMode },
    },
    "options.transaction_mode",
  ],
];

describe("bad input", () => {
  it.each(cases)(
    "refuses %s with INVALID_ARGUMENT naming the field, writing nothing",
    async (_case, request, field) => {
      const error = await server.client.batchExecute(request).then(
        () => undefined,
        (thrown: ServiceError) => thrown,
      );
      expect(error?.code).toBe(GrpcStatus.INVALID_ARGUMENT);
      expect((error?.metadata ?? new Metadata()).get(FIELD_METADATA_KEY)).toEqual([field]);
      const [written] = await server.rows<Record<string, string>>(
        `SELECT (SELECT count(*) FROM tasks) AS tasks, (SELECT count(*) FROM users) AS users,
         (SELECT count(*) FROM outbox) AS outbox, (SELECT count(*) FROM batch_requests) AS claims`,
      );
      expect(written).toEqual({ tasks: "0", users: "0", outbox: "0", claims: "0" });
    },
  );
});
