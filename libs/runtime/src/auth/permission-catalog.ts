import type { DescOneof } from "@bufbuild/protobuf";
import { BulkUpdateRequestSchema } from "@conveyor/proto/conveyor/command/v1/bulk_pb";
import { CommandSchema } from "@conveyor/proto/conveyor/command/v1/commands_pb";

/** What a permission can name: a command type, a bulk operation or an export. */
export type PermissionKind = "command" | "bulk" | "export";

/**
 * Every name a permission may carry, per kind, read from the contracts so a new command type or
 * bulk operation needs no change here: command types and bulk operations are their oneof field names
 * in PascalCase (create_user -> CreateUser, suspend_users -> SuspendUsers); exports are the read tables.
 */
export const permissionCatalog: Readonly<Record<PermissionKind, readonly string[]>> = {
  command: oneofNames(CommandSchema.oneofs, "command"),
  bulk: oneofNames(BulkUpdateRequestSchema.oneofs, "operation"),
  export: ["orders", "tasks", "users"],
};

/** The name a permission uses for a oneof case, e.g. "createUser" or "create_user" -> "CreateUser". */
export function permissionName(oneofCase: string): string {
  return oneofCase
    .split("_")
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join("");
}

function oneofNames(oneofs: readonly DescOneof[], name: string): string[] {
  const oneof = oneofs.find((candidate) => candidate.name === name);
  if (!oneof) throw new Error(`the contracts have no oneof "${name}"`);
  return oneof.fields.map((field) => permissionName(field.name));
}
