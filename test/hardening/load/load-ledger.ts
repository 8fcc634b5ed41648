import { AggregateErrorCode, type AggregateResult } from "@conveyor/proto/conveyor/command/v1/batch_pb";
import type { BatchPlan, BulkPlan } from "./load-requests.ts";

/** What the answer to one request promised about the events it wrote. */
export type Outcome =
  /** Events per aggregate id: exactly these, no more. */
  | { kind: "events"; perAggregate: Map<string, number> }
  /** A total over any aggregates (a bulk update names no ids). */
  | { kind: "total"; events: number }
  /** No definite answer (the call failed in a way that may or may not have written). */
  | { kind: "unknown"; reason: string };

export interface LoadFigures {
  batches: number;
  bulkUpdates: number;
  commandsSent: number;
  commandsSucceeded: number;
  /** Commands applied that changed nothing (no event, no version bump). */
  commandsWithoutEvent: number;
  commandsConflicted: number;
  /** Commands refused for another reason: invariants, not found, rolled back, refused batches. */
  commandsRejected: number;
  bulkRowsUpdated: number;
  bulkRejected: number;
  retries: number;
  /** Calls that ended in gRPC INTERNAL or UNKNOWN: a server bug to investigate. */
  internalErrors: number;
}

/**
 * Everything the load's responses said, by request id: the events each request must have written, and
 * the figures (sent, succeeded, conflicted, rejected).
 */
export class LoadLedger {
  readonly outcomes = new Map<string, Outcome>();
  readonly figures: LoadFigures = {
    batches: 0,
    bulkUpdates: 0,
    commandsSent: 0,
    commandsSucceeded: 0,
    commandsWithoutEvent: 0,
    commandsConflicted: 0,
    commandsRejected: 0,
    bulkRowsUpdated: 0,
    bulkRejected: 0,
    retries: 0,
    internalErrors: 0,
  };
  readonly errors: string[] = [];

  batchAnswered(plan: BatchPlan, results: AggregateResult[]): void {
    this.countBatch(plan);
    const commandsOf = commandCounts(plan);
    const perAggregate = new Map<string, number>();
    for (const result of results) {
      const commands = commandsOf.get(result.aggregateId) ?? 0;
      if (result.success) {
        perAggregate.set(result.aggregateId, result.eventsGenerated);
        this.figures.commandsSucceeded += result.commandsProcessed;
        this.figures.commandsWithoutEvent +=
          result.commandsProcessed - Math.min(result.commandsProcessed, result.eventsGenerated);
      } else {
        perAggregate.set(result.aggregateId, 0);
        if (result.errorCode === AggregateErrorCode.CONCURRENCY_CONFLICT)
          this.figures.commandsConflicted += commands;
        else this.figures.commandsRejected += commands;
        if (result.errorCode === AggregateErrorCode.INTERNAL) {
          this.figures.internalErrors += 1;
          this.errors.push(`${plan.requestId} ${result.aggregateId}: INTERNAL ${result.errorMessage}`);
        }
      }
    }
    const missing = [...commandsOf.keys()].filter((id) => !perAggregate.has(id));
    if (missing.length > 0) this.errors.push(`${plan.requestId}: no result for ${missing.join(", ")}`);
    this.outcomes.set(plan.requestId, { kind: "events", perAggregate });
  }

  /** A batch refused as a whole (nothing may have been written). */
  batchRefused(plan: BatchPlan, reason: string): void {
    this.countBatch(plan);
    this.figures.commandsRejected += plan.commands.length;
    this.outcomes.set(plan.requestId, { kind: "events", perAggregate: new Map() });
    this.errors.push(`${plan.requestId}: batch refused: ${reason}`);
  }

  bulkAnswered(plan: BulkPlan, eventsWritten: number): void {
    this.figures.bulkUpdates += 1;
    this.figures.bulkRowsUpdated += eventsWritten;
    this.outcomes.set(plan.request.requestId, { kind: "total", events: eventsWritten });
  }

  /** A bulk update that failed; `committedEvents` what its committed key ranges wrote (0 without ranges). */
  bulkRefused(plan: BulkPlan, committedEvents: number): void {
    this.figures.bulkUpdates += 1;
    this.figures.bulkRejected += 1;
    this.figures.bulkRowsUpdated += committedEvents;
    this.outcomes.set(plan.request.requestId, { kind: "total", events: committedEvents });
  }

  unknown(requestId: string, reason: string, plan: BatchPlan | BulkPlan): void {
    if (plan.kind === "batch") this.countBatch(plan);
    else this.figures.bulkUpdates += 1;
    this.outcomes.set(requestId, { kind: "unknown", reason });
    this.errors.push(`${requestId}: outcome unknown: ${reason}`);
  }

  private countBatch(plan: BatchPlan): void {
    this.figures.batches += 1;
    this.figures.commandsSent += plan.commands.length;
  }
}

function commandCounts(plan: BatchPlan): Map<string, number> {
  const counts = new Map<string, number>();
  for (const command of plan.commands)
    counts.set(command.aggregateId!, (counts.get(command.aggregateId!) ?? 0) + 1);
  return counts;
}
