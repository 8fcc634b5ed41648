import { ValidationError } from "@conveyor/errors";
import type { Command } from "@conveyor/proto/conveyor/command/v1/commands_pb";
import type { AggregateTypeName, BatchCommand, DomainCommand } from "../batch/batch-command.ts";
import { integerIn, uuid } from "./field-validation.ts";
import { addOrderItem, cancelOrder, changeShippingAddress, placeOrder } from "./order-command-mapping.ts";
import { createTask, setTaskExecutionDate } from "./task-command-mapping.ts";
import { createUser, updateUserEmail, updateUserRoles, updateUserStatus } from "./user-command-mapping.ts";

/**
 * Validates every command of a batch and maps it to its domain form; throws a ValidationError naming
 * the first bad field, e.g. "commands[3].place_order.items[0].quantity". One aggregate id may not be
 * addressed by commands of two aggregate types.
 */
export function toBatchCommands(commands: Command[], receivedAt: Date): BatchCommand[] {
  const typeById = new Map<string, { type: AggregateTypeName; index: number }>();
  return commands.map((command, index) => {
    const mapped = toBatchCommand(command, index, receivedAt);
    const earlier = typeById.get(mapped.aggregateId);
    if (earlier && earlier.type !== mapped.aggregateType) {
      const reason = `is a ${earlier.type} in commands[${earlier.index}] but this is a ${mapped.aggregateType} command`;
      throw new ValidationError(`commands[${index}].aggregate_id`, reason);
    }
    if (!earlier) typeById.set(mapped.aggregateId, { type: mapped.aggregateType, index });
    return mapped;
  });
}

function toBatchCommand(command: Command, index: number, receivedAt: Date): BatchCommand {
  const at = `commands[${index}]`;
  const aggregateId = uuid(command.aggregateId, `${at}.aggregate_id`);
  const expected = command.expectedVersion;
  return {
    index,
    aggregateId,
    ...(expected !== undefined && {
      expectedVersion: integerIn(expected, `${at}.expected_version`, 0, Number.MAX_SAFE_INTEGER),
    }),
    ...toDomainCommand(command.command, at, receivedAt),
  };
}

const user = (command: DomainCommand) => ({ aggregateType: "USER" as const, command });
const order = (command: DomainCommand) => ({ aggregateType: "ORDER" as const, command });
const task = (command: DomainCommand) => ({ aggregateType: "TASK" as const, command });

function toDomainCommand(
  c: Command["command"],
  at: string,
  receivedAt: Date,
): { aggregateType: AggregateTypeName; command: DomainCommand } {
  switch (c.case) {
    case "createUser":
      return user(createUser(c.value, `${at}.create_user`));
    case "updateUserEmail":
      return user(updateUserEmail(c.value, `${at}.update_user_email`));
    case "updateUserStatus":
      return user(updateUserStatus(c.value, `${at}.update_user_status`));
    case "updateUserRoles":
      return user(updateUserRoles(c.value, `${at}.update_user_roles`));
    case "placeOrder":
      return order(placeOrder(c.value, `${at}.place_order`, receivedAt));
    case "addOrderItem":
      return order(addOrderItem(c.value, `${at}.add_order_item`));
    case "changeShippingAddress":
      return order(changeShippingAddress(c.value, `${at}.change_shipping_address`));
    case "markOrderPaid":
      return order({ type: "MarkOrderPaid" });
    case "shipOrder":
      return order({ type: "ShipOrder" });
    case "cancelOrder":
      return order(cancelOrder(c.value, `${at}.cancel_order`));
    case "createTask":
      return task(createTask(c.value, `${at}.create_task`));
    case "completeTask":
      return task({ type: "CompleteTask" });
    case "setTaskExecutionDate":
      return task(setTaskExecutionDate(c.value, `${at}.set_task_execution_date`));
    case undefined:
      throw new ValidationError(`${at}.command`, "no command is set");
  }
}
