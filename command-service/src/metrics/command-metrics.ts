import type { BatchExecuteResponse } from "@conveyor/proto/conveyor/command/v1/batch_pb";
import { AggregateErrorCode } from "@conveyor/proto/conveyor/command/v1/batch_pb";
import { Counter, Histogram, type Registry } from "@conveyor/runtime";

/** What the command handlers report beyond the RPC metrics. */
export interface CommandMetrics {
  /** A batch that ran (not a replay): its size and each aggregate's outcome. */
  batchExecuted(commands: number, response: BatchExecuteResponse): void;
  /** A BulkUpdate that wrote (not a dry run). */
  bulkUpdated(operation: string, matched: number, updated: number): void;
}

/** Commands per batch: a single command up to the BATCH_MAX_COMMANDS default (10,000). */
const commandBuckets = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000];

/** Registers the batch and bulk metrics in `registry`. */
export function createCommandMetrics(registry: Registry): CommandMetrics {
  const registers = [registry];
  const commands = new Histogram({
    name: "conveyor_batch_commands",
    help: "Commands per executed batch (BatchExecute and BatchExecuteStream; replays excluded).",
    buckets: commandBuckets,
    registers,
  });
  const aggregates = new Counter({
    name: "conveyor_batch_aggregates_total",
    help: "Aggregates of executed batches by outcome: succeeded, conflicted (expected version mismatch) or failed (any other error).",
    labelNames: ["outcome"] as const,
    registers,
  });
  const bulkMatched = new Counter({
    name: "conveyor_bulk_rows_matched_total",
    help: "Rows the filters of written BulkUpdates matched.",
    labelNames: ["operation"] as const,
    registers,
  });
  const bulkUpdated = new Counter({
    name: "conveyor_bulk_rows_updated_total",
    help: "Rows written BulkUpdates changed (one outbox event each).",
    labelNames: ["operation"] as const,
    registers,
  });
  for (const outcome of ["succeeded", "conflicted", "failed"]) aggregates.inc({ outcome }, 0);
  return {
    batchExecuted(count, response) {
      commands.observe(count);
      const conflicted = response.results.filter(
        (result) => result.errorCode === AggregateErrorCode.CONCURRENCY_CONFLICT,
      ).length;
      aggregates.inc({ outcome: "succeeded" }, response.succeededAggregates);
      aggregates.inc({ outcome: "conflicted" }, conflicted);
      aggregates.inc({ outcome: "failed" }, response.failedAggregates - conflicted);
    },
    bulkUpdated(operation, matched, updated) {
      bulkMatched.inc({ operation }, matched);
      bulkUpdated.inc({ operation }, updated);
    },
  };
}

/** Records nothing: for handlers built without a registry (tests). */
export const noCommandMetrics: CommandMetrics = { batchExecuted() {}, bulkUpdated() {} };
