import type { AggregateState, DecideContext, Queryable } from "./aggregate-kind.ts";
import { aggregateKinds } from "./aggregate-kinds.ts";
import type { AggregateResult, AggregateTypeName } from "./batch-command.ts";
import type { AggregateGroup } from "./batch-plan.ts";

/** The aggregates a batch touches or needs, as they were when the batch read them. */
export type Snapshots = Record<AggregateTypeName, Map<string, AggregateState>>;

const types: AggregateTypeName[] = ["USER", "ORDER", "TASK"];

/**
 * Loads every aggregate of the batch's groups and every aggregate they depend on: one query per
 * aggregate type (two when locking, since dependencies are only read, never locked).
 */
export async function loadSnapshots(
  db: Queryable,
  groups: AggregateGroup[],
  lock: boolean,
): Promise<Snapshots> {
  const loaded = await Promise.all(
    types.map(async (type) => {
      const own = groups.filter((g) => g.aggregateType === type).map((g) => g.aggregateId);
      const needed = groups.flatMap((g) => g.dependencies.filter((d) => d.type === type).map((d) => d.id));
      const kind = aggregateKinds[type];
      const states = lock
        ? [...(await kind.load(db, own, true)), ...(await kind.load(db, needed, false))]
        : await kind.load(db, [...new Set([...own, ...needed])], false);
      return [type, new Map(states.map((state) => [state.id, state]))] as const;
    }),
  );
  return Object.fromEntries(loaded) as Snapshots;
}

/** An aggregate exists if the batch found it, or if its group in this batch has succeeded. */
export function decideContext(
  snapshots: Snapshots,
  resultOf: (aggregateId: string) => AggregateResult | undefined,
): DecideContext {
  return {
    exists(type, id) {
      const result = resultOf(id);
      return snapshots[type].has(id) || (result?.success === true && result.aggregateType === type);
    },
  };
}
