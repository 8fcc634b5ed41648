import type { DataSource } from "typeorm";
import { v7 as uuidv7 } from "uuid";
import { ConcurrencyConflict, ConveyorError } from "@conveyor/errors";
import { decideUser, evolveUser, type User } from "../user/domain/user.ts";
import { loadUserForUpdate, saveUser } from "../user/user-store.ts";
import { userEventPayload } from "../user/user-event-payloads.ts";
import type { OutboxEvent } from "../outbox/outbox-event.ts";
import type { AggregateErrorCode, AggregateResult, BatchCommand, BatchRequest } from "./batch-command.ts";
import { groupByAggregate } from "./group-by-aggregate.ts";

/** Runs each aggregate's commands in its own transaction; a failing group does not affect the others. */
export async function executeBatch(dataSource: DataSource, request: BatchRequest): Promise<AggregateResult[]> {
  const results: AggregateResult[] = [];
  for (const group of groupByAggregate(request.commands)) {
    results.push(await executeGroup(dataSource, request.requestId, group));
  }
  return results;
}

async function executeGroup(dataSource: DataSource, requestId: string, group: BatchCommand[]) {
  const aggregateId = group[0]!.aggregateId;
  let current: BatchCommand | undefined;
  try {
    return await dataSource.transaction(async (db) => {
      const loaded = await loadUserForUpdate(db, aggregateId);
      let user = loaded;
      const events: OutboxEvent[] = [];
      for (current of group) {
        checkExpectedVersion(aggregateId, current.expectedVersion, user?.version ?? 0);
        const event = decideUser(user, current.command);
        user = evolveUser(user, aggregateId, event);
        events.push(toOutboxEvent(user, userEventPayload(event), requestId, current.index));
      }
      await saveUser(db, user!, loaded?.version ?? 0, events);
      return success(aggregateId, group.length, user!);
    });
  } catch (error) {
    return failure(aggregateId, error, current?.index ?? group[0]!.index);
  }
}

function checkExpectedVersion(aggregateId: string, expected: number | undefined, actual: number) {
  if (expected !== undefined && expected !== actual) throw new ConcurrencyConflict(aggregateId, expected, actual);
}

function toOutboxEvent(
  user: User,
  wire: { eventType: string; payload: object },
  requestId: string,
  commandIndex: number,
): OutboxEvent {
  return {
    eventId: uuidv7(),
    aggregateType: "USER",
    aggregateId: user.id,
    aggregateVersion: user.version,
    ...wire,
    correlationId: requestId,
    causationId: `${requestId}/${commandIndex}`,
  };
}

function success(aggregateId: string, commands: number, user: User): AggregateResult {
  return {
    aggregateId,
    aggregateType: "USER",
    success: true,
    eventsGenerated: commands,
    commandsProcessed: commands,
    version: user.version,
  };
}

function failure(aggregateId: string, error: unknown, commandIndex: number): AggregateResult {
  const code: AggregateErrorCode =
    error instanceof ConveyorError && error.code !== "VALIDATION" && error.code !== "LIMIT_EXCEEDED"
      ? (error.code as AggregateErrorCode)
      : "INTERNAL";
  const message = error instanceof Error ? error.message : String(error);
  return {
    aggregateId,
    aggregateType: "USER",
    success: false,
    eventsGenerated: 0,
    commandsProcessed: 0,
    version: 0,
    error: { code, message, commandIndex },
  };
}

