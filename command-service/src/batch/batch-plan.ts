import type { Dependency } from "./aggregate-kind.ts";
import { aggregateKinds } from "./aggregate-kinds.ts";
import type { AggregateTypeName, BatchCommand } from "./batch-command.ts";
import { groupByAggregate } from "./group-by-aggregate.ts";
import { findCycles } from "./find-cycles.ts";

/** A dependency of one command of a group. */
export interface GroupDependency extends Dependency {
  commandIndex: number;
}

/** The commands of one aggregate, in request order, and the other aggregates they need. */
export interface AggregateGroup {
  aggregateId: string;
  aggregateType: AggregateTypeName;
  commands: BatchCommand[];
  dependencies: GroupDependency[];
  /** Ids of the groups of this batch that must finish first. */
  runsAfter: string[];
  /** Set when the group is part of a dependency cycle: it can't run. */
  cycle?: string[];
}

/** Groups a batch by aggregate and works out which groups wait for which. Pure. */
export function planBatch(commands: BatchCommand[]): AggregateGroup[] {
  const groups = groupByAggregate(commands).map(toGroup);
  const inBatch = new Set(groups.map((group) => group.aggregateId));
  for (const group of groups) {
    group.runsAfter = [...new Set(group.dependencies.map((d) => d.id).filter((id) => inBatch.has(id)))];
  }
  const cycles = findCycles(new Map(groups.map((group) => [group.aggregateId, group.runsAfter])));
  for (const group of groups) {
    const cycle = cycles.get(group.aggregateId);
    if (cycle) group.cycle = cycle;
  }
  return groups;
}

function toGroup(commands: BatchCommand[]): AggregateGroup {
  const first = commands[0]!;
  const kind = aggregateKinds[first.aggregateType];
  return {
    aggregateId: first.aggregateId,
    aggregateType: first.aggregateType,
    commands,
    dependencies: commands.flatMap((c) =>
      kind.dependencies(c.command).map((d) => ({ ...d, commandIndex: c.index })),
    ),
    runsAfter: [],
  };
}

/** The groups in an order that runs every group after those it needs; groups in a cycle are left out. */
export function dependencyOrder(groups: AggregateGroup[]): AggregateGroup[] {
  const byId = new Map(groups.map((group) => [group.aggregateId, group]));
  const ordered: AggregateGroup[] = [];
  const placed = new Set<string>();
  const place = (group: AggregateGroup) => {
    if (placed.has(group.aggregateId) || group.cycle) return;
    placed.add(group.aggregateId);
    for (const id of group.runsAfter) place(byId.get(id)!);
    ordered.push(group);
  };
  groups.forEach(place);
  return ordered;
}

/**
 * The groups in waves, each group in a later wave than every group it runs after (request order within
 * a wave). Groups in a cycle wait for nothing: they are in the first wave (and fail without running).
 */
export function dependencyWaves(groups: AggregateGroup[]): AggregateGroup[][] {
  const byId = new Map(groups.map((group) => [group.aggregateId, group]));
  const waveOf = new Map<string, number>();
  // Cycles were cut (a group in a cycle waits for nothing), so this recursion ends.
  const wave = (group: AggregateGroup): number => {
    let found = waveOf.get(group.aggregateId);
    if (found === undefined) {
      const after = group.cycle ? [] : group.runsAfter.map((id) => wave(byId.get(id)!));
      found = after.length > 0 ? Math.max(...after) + 1 : 0;
      waveOf.set(group.aggregateId, found);
    }
    return found;
  };
  const waves: AggregateGroup[][] = [];
  for (const group of groups) (waves[wave(group)] ??= []).push(group);
  return waves;
}
