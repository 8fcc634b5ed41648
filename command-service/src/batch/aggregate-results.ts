import { ConveyorError } from "@conveyor/errors";
import type { Logger } from "@conveyor/runtime";
import type { AggregateState, Change } from "./aggregate-kind.ts";
import type { AggregateErrorCode, AggregateResult } from "./batch-command.ts";
import type { AggregateGroup } from "./batch-plan.ts";
import { CommandFailure } from "./decide-group.ts";

const domainCodes: ReadonlySet<string> = new Set<AggregateErrorCode>([
  "CONCURRENCY_CONFLICT",
  "INVARIANT_VIOLATION",
  "NOT_FOUND",
  "ALREADY_EXISTS",
]);

export function succeeded(
  group: AggregateGroup,
  change: Change<AggregateState> | undefined,
  version: number,
) {
  return result(group, {
    success: true,
    eventsGenerated: change?.events.length ?? 0,
    commandsProcessed: group.commands.length,
    version: change?.after.version ?? version,
  });
}

export function failed(
  group: AggregateGroup,
  version: number,
  error: { code: AggregateErrorCode; message: string; commandIndex?: number },
): AggregateResult {
  return result(group, { success: false, eventsGenerated: 0, commandsProcessed: 0, version, error });
}

/**
 * The result of a group that threw: domain errors keep their code and message; anything else is
 * INTERNAL with a generic message, the cause going to the log only.
 */
export function failedWith(
  group: AggregateGroup,
  version: number,
  thrown: unknown,
  logger: Logger,
): AggregateResult {
  const commandIndex = thrown instanceof CommandFailure ? thrown.commandIndex : undefined;
  const error = thrown instanceof CommandFailure ? thrown.reason : thrown;
  if (error instanceof ConveyorError && domainCodes.has(error.code)) {
    return failed(group, version, {
      code: error.code as AggregateErrorCode,
      message: error.message,
      commandIndex,
    });
  }
  logger.error({ err: error, aggregateId: group.aggregateId }, "aggregate group failed");
  return failed(group, version, {
    code: "INTERNAL",
    message: "internal error; the group may be retried",
    commandIndex,
  });
}

function result(group: AggregateGroup, fields: Omit<AggregateResult, "aggregateId" | "aggregateType">) {
  return { aggregateId: group.aggregateId, aggregateType: group.aggregateType, ...fields };
}
