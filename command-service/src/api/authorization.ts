import type { HandlerContext } from "@connectrpc/connect";
import type { BatchExecuteRequest } from "@conveyor/proto/conveyor/command/v1/batch_pb";
import type { BulkUpdateRequest } from "@conveyor/proto/conveyor/command/v1/bulk_pb";
import { accessOf, permissionDenied, permissionName, requireAnyPermission } from "@conveyor/runtime";

/**
 * Authorizes a whole batch before anything runs: the caller needs some "command:" permission at all,
 * then every command's type needs "command:<Type>" (the
 * first refused one is named, with its index), then the batch's size is charged to the principal's
 * command rate limit. Commands without a type are left to validation.
 */
export function authorizeBatch(context: HandlerContext, request: BatchExecuteRequest): void {
  requireAnyPermission(context, "command");
  const access = accessOf(context);
  request.commands.forEach((command, index) => {
    const type = command.command.case;
    if (type === undefined) return;
    const name = permissionName(type);
    if (!access.permissions.allows("command", name))
      throw permissionDenied(access.principal, "command", name, `commands[${index}]`);
  });
  access.chargeCommands(request.commands.length);
}

/**
 * A bulk update needs some "bulk:" permission at all, then "bulk:<Operation>" (e.g. "bulk:SuspendUsers");
 * a missing operation is left to validation.
 */
export function authorizeBulkUpdate(context: HandlerContext, request: BulkUpdateRequest): void {
  requireAnyPermission(context, "bulk");
  const access = accessOf(context);
  const operation = request.operation.case;
  if (operation === undefined) return;
  const name = permissionName(operation);
  if (!access.permissions.allows("bulk", name))
    throw permissionDenied(access.principal, "bulk", name, "operation");
}
