import type { MessageInitShape } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import type { CommandSchema } from "@conveyor/proto/conveyor/command/v1/commands_pb";
import { UserStatus } from "@conveyor/proto/conveyor/types/v1/types_pb";
import { v7 as uuidv7 } from "uuid";

/** A command as a request carries it (an init object). */
export type CommandInit = MessageInitShape<typeof CommandSchema>;

type Options = { expectedVersion?: bigint };

const command = (aggregateId: string, body: CommandInit["command"], options: Options = {}): CommandInit => ({
  aggregateId,
  command: body,
  ...options,
});

export const newId = (): string => uuidv7();
export const address = { line1: "1 Main St", city: "Berlin", postalCode: "10115", country: "DE" };
export const item = (sku = "SKU-1", quantity = 1, unitPriceMinor = 100n) => ({
  sku,
  quantity,
  unitPriceMinor,
});

export const createUser = (id: string, options?: Options) =>
  command(
    id,
    { case: "createUser", value: { email: `${id}@example.com`, firstName: "Ada", lastName: "L" } },
    options,
  );
export const updateUserEmail = (id: string, email: string, options?: Options) =>
  command(id, { case: "updateUserEmail", value: { email } }, options);
export const updateUserStatus = (id: string, status: UserStatus, options?: Options) =>
  command(id, { case: "updateUserStatus", value: { status } }, options);
export const updateUserRoles = (id: string, roles: string[], options?: Options) =>
  command(id, { case: "updateUserRoles", value: { roles } }, options);
export const placeOrder = (id: string, customerId: string, options?: Options) =>
  command(
    id,
    { case: "placeOrder", value: { customerId, items: [item()], shippingAddress: address } },
    options,
  );
export const addOrderItem = (id: string, sku = "SKU-2", options?: Options) =>
  command(id, { case: "addOrderItem", value: { item: item(sku) } }, options);
export const changeShippingAddress = (id: string, city: string, options?: Options) =>
  command(id, { case: "changeShippingAddress", value: { shippingAddress: { ...address, city } } }, options);
export const markOrderPaid = (id: string, options?: Options) =>
  command(id, { case: "markOrderPaid", value: {} }, options);
export const shipOrder = (id: string, options?: Options) =>
  command(id, { case: "shipOrder", value: {} }, options);
export const cancelOrder = (id: string, reason = "no longer needed", options?: Options) =>
  command(id, { case: "cancelOrder", value: { reason } }, options);
export const createTask = (id: string, options?: Options) =>
  command(id, { case: "createTask", value: { title: "Count stock", month: 3, category: "ops" } }, options);
export const completeTask = (id: string, options?: Options) =>
  command(id, { case: "completeTask", value: {} }, options);
export const setTaskExecutionDate = (id: string, date: Date, options?: Options) =>
  command(id, { case: "setTaskExecutionDate", value: { executionDate: timestampFromDate(date) } }, options);

export { UserStatus };
