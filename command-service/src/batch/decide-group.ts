import { v7 as uuidv7 } from "uuid";
import { ConcurrencyConflict } from "@conveyor/errors";
import type { OutboxEvent } from "../outbox/outbox-event.ts";
import type { AggregateState, Change, DecideContext } from "./aggregate-kind.ts";
import type { AnyAggregateKind } from "./aggregate-kinds.ts";
import type { AggregateGroup } from "./batch-plan.ts";

/** Why a command of a group could not apply; the whole group fails with it. */
export class CommandFailure extends Error {
  constructor(
    readonly commandIndex: number,
    readonly reason: unknown,
  ) {
    super(reason instanceof Error ? reason.message : String(reason));
  }
}

/**
 * Runs a group's commands in memory, in order, from the state it was loaded at: checks each expected
 * version, decides and evolves. Throws CommandFailure naming the first command that can't apply.
 */
export function decideGroup(
  kind: AnyAggregateKind,
  group: AggregateGroup,
  before: AggregateState | undefined,
  context: DecideContext,
  requestId: string,
): Change<AggregateState> | undefined {
  let state = before;
  const events: OutboxEvent[] = [];
  for (const command of group.commands) {
    try {
      const actual = state?.version ?? 0;
      if (command.expectedVersion !== undefined && command.expectedVersion !== actual) {
        throw new ConcurrencyConflict(group.aggregateId, command.expectedVersion, actual);
      }
      for (const event of kind.decide(state, command.command, context)) {
        state = kind.evolve(state, group.aggregateId, event);
        events.push(outboxEvent(kind, state, event, requestId, command.index));
      }
    } catch (error) {
      throw new CommandFailure(command.index, error);
    }
  }
  return state && { before, after: state, events };
}

function outboxEvent(
  kind: AnyAggregateKind,
  state: AggregateState,
  event: unknown,
  requestId: string,
  commandIndex: number,
): OutboxEvent {
  return {
    eventId: uuidv7(),
    aggregateType: kind.type,
    aggregateId: state.id,
    aggregateVersion: state.version,
    ...kind.wire(event),
    correlationId: requestId,
    causationId: `${requestId}/${commandIndex}`,
  };
}
