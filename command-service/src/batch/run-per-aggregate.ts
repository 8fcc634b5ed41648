import type { AggregateResult, BatchRequest } from "./batch-command.ts";
import type { AggregateGroup } from "./batch-plan.ts";
import { dependencyFailure } from "./dependency-check.ts";
import { createLimiter } from "./limiter.ts";
import { runGroup, type GroupDeps } from "./run-group.ts";
import { decideContext, loadSnapshots } from "./snapshots.ts";
import { withSql } from "./sql.ts";

/**
 * Per-aggregate mode: every group in its own transaction, up to `parallelism` at once on separate
 * connections; a group that needs another group of the batch starts once that one has succeeded.
 * Reports each result through `onResult` as soon as its transaction ends.
 */
export async function runPerAggregate(
  deps: GroupDeps,
  request: BatchRequest,
  groups: AggregateGroup[],
  onResult: (result: AggregateResult) => void,
): Promise<AggregateResult[]> {
  const snapshots = await loadSnapshots(
    (work) => withSql(deps.dataSource, { transaction: false }, work),
    groups,
    false,
  );
  const groupsById = new Map(groups.map((group) => [group.aggregateId, group]));
  const finished = new Map<string, AggregateResult>();
  const context = decideContext(snapshots, (id) => finished.get(id));
  const limit = createLimiter(request.parallelism);
  const started = new Map<string, Promise<AggregateResult>>();

  const run = async (group: AggregateGroup): Promise<AggregateResult> => {
    if (!group.cycle) await Promise.all(group.runsAfter.map((id) => resultOf(groupsById.get(id)!)));
    const result =
      dependencyFailure(group, groupsById, (id) => finished.get(id), snapshots) ??
      (await limit(() =>
        runGroup(
          deps,
          group,
          snapshots[group.aggregateType].get(group.aggregateId),
          context,
          request.requestId,
        ),
      ));
    finished.set(group.aggregateId, result);
    onResult(result);
    return result;
  };
  // Cycles were cut by the plan (a group in a cycle waits for nothing), so this recursion ends.
  const resultOf = (group: AggregateGroup): Promise<AggregateResult> => {
    let promise = started.get(group.aggregateId);
    if (!promise) started.set(group.aggregateId, (promise = run(group)));
    return promise;
  };
  return Promise.all(groups.map(resultOf));
}
