import type { DataSource } from "typeorm";
import type { Logger } from "@conveyor/runtime";
import type { AggregateState, Change, DecideContext } from "./aggregate-kind.ts";
import { aggregateKinds, type AnyAggregateKind } from "./aggregate-kinds.ts";
import { failed, failedWith, succeeded } from "./aggregate-results.ts";
import type { AggregateResult } from "./batch-command.ts";
import type { AggregateGroup } from "./batch-plan.ts";
import { decideGroup } from "./decide-group.ts";
import { withSql, type Sql } from "./sql.ts";

export interface GroupDeps {
  dataSource: DataSource;
  logger: Logger;
}

const maxAttempts = 3;

/**
 * Runs one group in its own transaction. First optimistically: decide from the batch's snapshot and
 * write with one version-checked statement (one round trip). If the row moved meanwhile, again under
 * a row lock (`rerunLocked`).
 */
export async function runGroup(
  deps: GroupDeps,
  group: AggregateGroup,
  snapshot: AggregateState | undefined,
  context: DecideContext,
  requestId: string,
): Promise<AggregateResult> {
  let change: Change<AggregateState> | undefined;
  try {
    change = decideGroup(aggregateKinds[group.aggregateType], group, snapshot, context, requestId);
  } catch (error) {
    return failedWith(group, snapshot?.version ?? 0, error, deps.logger);
  }
  return writeDecided(deps, { group, snapshot, change }, context, requestId);
}

/** A group decided from the state the batch read (`snapshot`), not yet written. */
export interface DecidedGroup {
  group: AggregateGroup;
  snapshot: AggregateState | undefined;
  change: Change<AggregateState> | undefined;
}

/** Writes a decided group alone, in one version-checked statement; runs it again under a lock if its row moved. */
export async function writeDecided(
  deps: GroupDeps,
  { group, snapshot, change }: DecidedGroup,
  context: DecideContext,
  requestId: string,
): Promise<AggregateResult> {
  const kind = aggregateKinds[group.aggregateType];
  const version = snapshot?.version ?? 0;
  try {
    const written = await withSql(deps.dataSource, { transaction: false }, (sql) => write(kind, sql, change));
    if (written) return succeeded(group, change, version);
  } catch (error) {
    return failedWith(group, version, error, deps.logger);
  }
  return rerunLocked(deps, group, version, context, requestId);
}

/**
 * Runs a group whose row moved since the batch read it (at `version`): load under a row lock, decide,
 * write, commit. Gives up with CONCURRENCY_CONFLICT after the attempts left.
 */
export async function rerunLocked(
  deps: GroupDeps,
  group: AggregateGroup,
  version: number,
  context: DecideContext,
  requestId: string,
): Promise<AggregateResult> {
  const kind = aggregateKinds[group.aggregateType];
  try {
    for (let attempt = 2; attempt <= maxAttempts; attempt += 1) {
      const outcome = await withSql(deps.dataSource, { transaction: true }, async (sql) => {
        const [current] = await kind.load(sql, [group.aggregateId], true);
        version = current?.version ?? 0;
        const change = decideGroup(kind, group, current, context, requestId);
        return (await write(kind, sql, change)) ? { change } : undefined;
      });
      if (outcome) return succeeded(group, outcome.change, version);
    }
    const message = `aggregate ${group.aggregateId} kept changing under this batch; gave up after ${maxAttempts} attempts`;
    return failed(group, version, { code: "CONCURRENCY_CONFLICT", message });
  } catch (error) {
    return failedWith(group, version, error, deps.logger);
  }
}

/**
 * Writes one group's change in one statement; true when written (or nothing to write), false when the
 * row moved. A failure that means a domain error (e.g. an email in use) is thrown as that error.
 */
export async function write(
  kind: AnyAggregateKind,
  sql: Sql,
  change: Change<AggregateState> | undefined,
): Promise<boolean> {
  if (!change || change.events.length === 0) return true;
  try {
    return (await kind.save(sql, [change])).has(change.after.id);
  } catch (error) {
    throw kind.writeError(error, change) ?? error;
  }
}
