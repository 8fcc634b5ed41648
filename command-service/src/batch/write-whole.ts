import { aggregateKinds } from "./aggregate-kinds.ts";
import { succeeded } from "./aggregate-results.ts";
import type { AggregateResult } from "./batch-command.ts";
import { dependencyWaves, type AggregateGroup } from "./batch-plan.ts";
import { decideGroup } from "./decide-group.ts";
import { dependencyFailure } from "./dependency-check.ts";
import type { DecidedGroup } from "./run-group.ts";
import { decideContext, type Snapshots } from "./snapshots.ts";
import type { Sql } from "./sql.ts";
import { chunksOf } from "./write-chunk.ts";

/**
 * Writes a whole all-or-nothing batch in the transaction of `sql`, whose rows `snapshots` locked: per
 * dependency wave, its groups decided in memory, then one statement per chunk of a type's groups (see
 * chunksOf). Returns every group's result, or undefined as soon as any group would fail (a cycle, a
 * missing dependency, a broken invariant, a refused or short write): the caller then rolls back and
 * runs the batch group by group, which finds and names the first failing group.
 */
export async function writeWhole(
  sql: Sql,
  requestId: string,
  groups: AggregateGroup[],
  snapshots: Snapshots,
): Promise<Map<string, AggregateResult> | undefined> {
  if (groups.some((group) => group.cycle)) return undefined;
  const groupsById = new Map(groups.map((group) => [group.aggregateId, group]));
  const results = new Map<string, AggregateResult>();
  const context = decideContext(snapshots, (id) => results.get(id));
  for (const wave of dependencyWaves(groups)) {
    const decided = decideWave(wave, groupsById, results, snapshots, context, requestId);
    if (!decided) return undefined;
    for (const chunk of chunksOf(decided.filter(hasEvents), 1))
      if (!(await writtenWhole(sql, chunk))) return undefined;
    for (const { group, snapshot, change } of decided)
      results.set(group.aggregateId, succeeded(group, change, snapshot?.version ?? 0));
  }
  return results;
}

function decideWave(
  wave: AggregateGroup[],
  groupsById: Map<string, AggregateGroup>,
  results: Map<string, AggregateResult>,
  snapshots: Snapshots,
  context: ReturnType<typeof decideContext>,
  requestId: string,
): DecidedGroup[] | undefined {
  const decided: DecidedGroup[] = [];
  for (const group of wave) {
    if (dependencyFailure(group, groupsById, (id) => results.get(id), snapshots)) return undefined;
    const snapshot = snapshots[group.aggregateType].get(group.aggregateId);
    try {
      const change = decideGroup(aggregateKinds[group.aggregateType], group, snapshot, context, requestId);
      decided.push({ group, snapshot, change });
    } catch {
      return undefined;
    }
  }
  return decided;
}

function hasEvents({ change }: DecidedGroup): boolean {
  return change !== undefined && change.events.length > 0;
}

/** Whether one statement wrote every group of the chunk (rows are locked: only a concurrent creation can be missing). */
async function writtenWhole(sql: Sql, chunk: DecidedGroup[]): Promise<boolean> {
  const kind = aggregateKinds[chunk[0]!.group.aggregateType];
  try {
    const saved = await kind.save(
      sql,
      chunk.map(({ change }) => change!),
    );
    return chunk.every(({ group }) => saved.has(group.aggregateId));
  } catch {
    return false;
  }
}
