import { ValidationError } from "@conveyor/errors";
import type { Command } from "@conveyor/proto/conveyor/command/v1/commands_pb";
import type { BatchCommand } from "../batch/batch-command.ts";
import type { UserCommand } from "../user/domain/user.ts";

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Validates one proto command and maps it to its domain form; throws ValidationError naming the field. */
export function toBatchCommand(command: Command, index: number): BatchCommand {
  const at = `commands[${index}]`;
  if (!uuidPattern.test(command.aggregateId)) {
    throw new ValidationError(`${at}.aggregate_id`, "must be a UUID");
  }
  if (command.expectedVersion !== undefined && command.expectedVersion < 0n) {
    throw new ValidationError(`${at}.expected_version`, "must not be negative");
  }
  return {
    index,
    aggregateId: command.aggregateId.toLowerCase(),
    ...(command.expectedVersion !== undefined && { expectedVersion: Number(command.expectedVersion) }),
    command: toDomainCommand(command, at),
  };
}

function toDomainCommand(command: Command, at: string): UserCommand {
  const c = command.command;
  switch (c.case) {
    case "createUser":
      return {
        type: "CreateUser",
        email: nonEmpty(c.value.email, `${at}.create_user.email`),
        firstName: nonEmpty(c.value.firstName, `${at}.create_user.first_name`),
        lastName: nonEmpty(c.value.lastName, `${at}.create_user.last_name`),
        roles: c.value.roles,
      };
    case "updateUserEmail":
      return { type: "UpdateUserEmail", email: nonEmpty(c.value.email, `${at}.update_user_email.email`) };
    case undefined:
      throw new ValidationError(`${at}.command`, "no command set");
    default:
      throw new ValidationError(`${at}.command`, `${c.case} is not supported yet`);
  }
}

function nonEmpty(value: string, field: string): string {
  if (value.trim() === "") throw new ValidationError(field, "must not be empty");
  return value;
}
