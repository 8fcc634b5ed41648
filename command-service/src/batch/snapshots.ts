import type { AggregateState, DecideContext } from "./aggregate-kind.ts";
import { aggregateKinds } from "./aggregate-kinds.ts";
import type { AggregateResult, AggregateTypeName } from "./batch-command.ts";
import type { AggregateGroup } from "./batch-plan.ts";
import type { Sql } from "./sql.ts";

/** The aggregates a batch touches or needs, as they were when the batch read them. */
export type Snapshots = Record<AggregateTypeName, Map<string, AggregateState>>;

const types: AggregateTypeName[] = ["USER", "ORDER", "TASK"];

/** Runs `work` on some connection: a pooled one per call, or the one of a transaction. */
export type OnConnection = <T>(work: (sql: Sql) => Promise<T>) => Promise<T>;

/**
 * Loads every aggregate of the batch's groups and every aggregate they depend on: one query per
 * aggregate type present (two when locking, since dependencies are only read, never locked).
 */
export async function loadSnapshots(
  onConnection: OnConnection,
  groups: AggregateGroup[],
  lock: boolean,
): Promise<Snapshots> {
  const loaded = await Promise.all(
    types.map(async (type) => {
      const own = groups.filter((g) => g.aggregateType === type).map((g) => g.aggregateId);
      const needed = groups.flatMap((g) => g.dependencies.filter((d) => d.type === type).map((d) => d.id));
      const states =
        own.length + needed.length > 0
          ? await onConnection((sql) => loadStates(sql, type, own, needed, lock))
          : [];
      return [type, new Map(states.map((state) => [state.id, state]))] as const;
    }),
  );
  return Object.fromEntries(loaded) as Snapshots;
}

async function loadStates(sql: Sql, type: AggregateTypeName, own: string[], needed: string[], lock: boolean) {
  const kind = aggregateKinds[type];
  if (!lock) return kind.load(sql, [...new Set([...own, ...needed])], false);
  const locked = own.length > 0 ? await kind.load(sql, own, true) : [];
  return needed.length > 0 ? [...locked, ...(await kind.load(sql, needed, false))] : locked;
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
