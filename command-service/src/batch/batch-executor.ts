import type { AggregateResult, BatchRequest } from "./batch-command.ts";
import { planBatch } from "./batch-plan.ts";
import { runAllOrNothing } from "./run-all-or-nothing.ts";
import type { GroupDeps } from "./run-group.ts";
import { runPerAggregate } from "./run-per-aggregate.ts";

/**
 * Executes a validated batch: commands grouped by aggregate in request order, one result per group
 * (in order of first mention). `onResult` hears each group's result as soon as its transaction ends.
 * Throws only when the batch could not run at all (e.g. the database is unreachable).
 */
export async function executeBatch(
  deps: GroupDeps,
  request: BatchRequest,
  onResult: (result: AggregateResult) => void = () => undefined,
): Promise<AggregateResult[]> {
  const groups = planBatch(request.commands);
  if (request.mode === "PER_AGGREGATE") return runPerAggregate(deps, request, groups, onResult);
  const results = await runAllOrNothing(deps, request, groups);
  results.forEach(onResult);
  return results;
}
