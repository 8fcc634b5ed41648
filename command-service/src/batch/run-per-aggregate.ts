import type { DecideContext } from "./aggregate-kind.ts";
import { aggregateKinds } from "./aggregate-kinds.ts";
import { failedWith, succeeded } from "./aggregate-results.ts";
import type { AggregateResult, BatchRequest } from "./batch-command.ts";
import { dependencyWaves, type AggregateGroup } from "./batch-plan.ts";
import { decideGroup } from "./decide-group.ts";
import { dependencyFailure } from "./dependency-check.ts";
import { createLimiter } from "./limiter.ts";
import type { DecidedGroup, GroupDeps } from "./run-group.ts";
import { decideContext, loadSnapshots, type Snapshots } from "./snapshots.ts";
import { withSql } from "./sql.ts";
import { chunksOf, writeChunk } from "./write-chunk.ts";

/**
 * Per-aggregate mode: every group in its own transaction. Groups run in waves, a group that needs
 * another group of the batch in a wave after that one's. Each wave decides its groups in memory from
 * the batch's snapshot, then writes them in chunks of one aggregate type, one version-checked
 * statement per chunk (see writeChunk), up to `parallelism` chunks at once on separate connections.
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
  const finish = (result: AggregateResult) => {
    finished.set(result.aggregateId, result);
    onResult(result);
  };
  const context = decideContext(snapshots, (id) => finished.get(id));
  const limit = createLimiter(request.parallelism);
  for (const wave of dependencyWaves(groups)) {
    const toWrite: DecidedGroup[] = [];
    for (const group of wave) {
      const blocked = dependencyFailure(group, groupsById, (id) => finished.get(id), snapshots);
      const decided = blocked ?? decide(deps, group, snapshots, context, request.requestId);
      if ("aggregateId" in decided) finish(decided);
      else toWrite.push(decided);
    }
    await Promise.all(
      chunksOf(toWrite, request.parallelism).map((chunk) =>
        limit(() => writeChunk(deps, chunk, context, request.requestId)).then((results) =>
          results.forEach(finish),
        ),
      ),
    );
  }
  return groups.map((group) => finished.get(group.aggregateId)!);
}

/** A group's change decided from the snapshot; its result already when it fails or changes nothing. */
function decide(
  deps: GroupDeps,
  group: AggregateGroup,
  snapshots: Snapshots,
  context: DecideContext,
  requestId: string,
): DecidedGroup | AggregateResult {
  const snapshot = snapshots[group.aggregateType].get(group.aggregateId);
  try {
    const change = decideGroup(aggregateKinds[group.aggregateType], group, snapshot, context, requestId);
    if (!change || change.events.length === 0) return succeeded(group, change, snapshot?.version ?? 0);
    return { group, snapshot, change };
  } catch (error) {
    return failedWith(group, snapshot?.version ?? 0, error, deps.logger);
  }
}
