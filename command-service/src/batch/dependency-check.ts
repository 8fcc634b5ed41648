import type { AggregateResult } from "./batch-command.ts";
import type { AggregateGroup } from "./batch-plan.ts";
import { failed } from "./aggregate-results.ts";
import type { Snapshots } from "./snapshots.ts";

/**
 * Why a group can't run because of another aggregate: it is in a dependency cycle, a group it needs
 * failed or is of another type, or what it needs neither exists nor is in the batch. Undefined: it can run.
 * `resultOf` must know the result of every group this one runs after.
 */
export function dependencyFailure(
  group: AggregateGroup,
  groupsById: ReadonlyMap<string, AggregateGroup>,
  resultOf: (aggregateId: string) => AggregateResult | undefined,
  snapshots: Snapshots,
): AggregateResult | undefined {
  const version = snapshots[group.aggregateType].get(group.aggregateId)?.version ?? 0;
  const fail = (message: string, commandIndex?: number) =>
    failed(group, version, { code: "DEPENDENCY_FAILED", message, commandIndex });
  if (group.cycle)
    return fail(`dependency cycle: ${group.cycle.join(" -> ")}`, group.dependencies[0]?.commandIndex);
  for (const dependency of group.dependencies) {
    const { id, type, role, commandIndex } = dependency;
    const other = groupsById.get(id);
    if (other && other.aggregateType !== type) {
      return fail(`${role} ${id} is a ${other.aggregateType} in this batch, not a ${type}`, commandIndex);
    }
    const result = other && resultOf(id);
    if (result && !result.success) return fail(`${role} ${id} failed: ${result.error?.code}`, commandIndex);
    if (!other && !snapshots[type].has(id)) return fail(`${role} ${id} does not exist`, commandIndex);
  }
  return undefined;
}
