import { aggregateKinds } from "./aggregate-kinds.ts";
import { failed, failedWith, succeeded } from "./aggregate-results.ts";
import type { AggregateResult, BatchRequest } from "./batch-command.ts";
import { dependencyOrder, type AggregateGroup } from "./batch-plan.ts";
import { decideGroup } from "./decide-group.ts";
import { dependencyFailure } from "./dependency-check.ts";
import { write, type GroupDeps } from "./run-group.ts";
import { decideContext, loadSnapshots, type Snapshots } from "./snapshots.ts";
import { withSql, type Sql } from "./sql.ts";
import { writeWhole } from "./write-whole.ts";

/** Thrown inside the transaction to roll everything back because one group failed. */
class RollBack extends Error {
  constructor(readonly failure: AggregateResult) {
    super(failure.error?.message);
  }
}

/** Thrown inside the transaction to roll back a batch that could not be written whole at once. */
class NotWhole extends Error {}

type InTransaction = <T>(run: (sql: Sql, snapshots: Snapshots) => Promise<T>) => Promise<T>;

/**
 * All-or-nothing mode: the whole batch in one transaction, every touched row locked (in id order, per
 * type) up front. First it is written wave by wave with one statement per chunk of a type's groups
 * (writeWhole). If any group would fail, that transaction rolls back and the batch runs again in a new
 * one, group after group in dependency order, where the first failing group rolls everything back: it
 * reports its error, every other group ROLLED_BACK.
 */
export async function runAllOrNothing(
  deps: GroupDeps,
  request: BatchRequest,
  groups: AggregateGroup[],
): Promise<AggregateResult[]> {
  let snapshots: Snapshots | undefined;
  const inTransaction: InTransaction = (run) =>
    withSql(deps.dataSource, { transaction: true }, async (sql) => {
      snapshots = await loadSnapshots((work) => work(sql), groups, true);
      return run(sql, snapshots);
    });
  try {
    const results =
      (await whole(inTransaction, request.requestId, groups)) ??
      (await inTransaction((sql, loaded) => runInOrder(deps, sql, request.requestId, groups, loaded)));
    return groups.map((group) => results.get(group.aggregateId)!);
  } catch (error) {
    if (!(error instanceof RollBack)) throw error;
    const versionOf = (group: AggregateGroup) =>
      snapshots?.[group.aggregateType].get(group.aggregateId)?.version ?? 0;
    return groups.map((group) =>
      group.aggregateId === error.failure.aggregateId
        ? error.failure
        : failed(group, versionOf(group), {
            code: "ROLLED_BACK",
            message: `rolled back: aggregate ${error.failure.aggregateId} failed (${error.failure.error?.code})`,
          }),
    );
  }
}

/** The batch written whole in one transaction (see writeWhole), or undefined (rolled back) if a group would fail. */
async function whole(
  inTransaction: InTransaction,
  requestId: string,
  groups: AggregateGroup[],
): Promise<Map<string, AggregateResult> | undefined> {
  try {
    return await inTransaction(async (sql, snapshots) => {
      const results = await writeWhole(sql, requestId, groups, snapshots);
      if (!results) throw new NotWhole();
      return results;
    });
  } catch (error) {
    if (error instanceof NotWhole) return undefined;
    throw error;
  }
}

async function runInOrder(
  deps: GroupDeps,
  sql: Sql,
  requestId: string,
  groups: AggregateGroup[],
  snapshots: Snapshots,
): Promise<Map<string, AggregateResult>> {
  const groupsById = new Map(groups.map((group) => [group.aggregateId, group]));
  const results = new Map<string, AggregateResult>();
  const context = decideContext(snapshots, (id) => results.get(id));
  const inCycle = groups.find((group) => group.cycle);
  if (inCycle) throw new RollBack(dependencyFailure(inCycle, groupsById, () => undefined, snapshots)!);
  for (const group of dependencyOrder(groups)) {
    const blocked = dependencyFailure(group, groupsById, (id) => results.get(id), snapshots);
    if (blocked) throw new RollBack(blocked);
    const snapshot = snapshots[group.aggregateType].get(group.aggregateId);
    const version = snapshot?.version ?? 0;
    const kind = aggregateKinds[group.aggregateType];
    try {
      const change = decideGroup(kind, group, snapshot, context, requestId);
      // Rows are locked, so only a concurrent creation of the same new aggregate can move one.
      if (!(await write(kind, sql, change))) {
        const message = `aggregate ${group.aggregateId} was created concurrently`;
        throw new RollBack(failed(group, version, { code: "CONCURRENCY_CONFLICT", message }));
      }
      results.set(group.aggregateId, succeeded(group, change, version));
    } catch (error) {
      if (error instanceof RollBack) throw error;
      throw new RollBack(failedWith(group, version, error, deps.logger));
    }
  }
  return results;
}
