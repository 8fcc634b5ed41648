import type { DecideContext } from "./aggregate-kind.ts";
import { aggregateKinds } from "./aggregate-kinds.ts";
import { succeeded } from "./aggregate-results.ts";
import type { AggregateResult } from "./batch-command.ts";
import { rerunLocked, writeDecided, type DecidedGroup, type GroupDeps } from "./run-group.ts";
import { withSql } from "./sql.ts";

/** Groups with something to write, all of one aggregate type, written by one statement. */
export type Chunk = DecidedGroup[];

/**
 * At most this many groups share a statement: enough that a batch of thousands of commands takes a
 * handful of statements, few enough that one failing chunk (rerun group by group) costs little.
 */
export const maxGroupsPerChunk = 100;

/** Splits groups into chunks of one aggregate type each, keeping their order within a type. */
export function chunksOf(decided: DecidedGroup[], maxGroups = maxGroupsPerChunk): Chunk[] {
  const byType = new Map<string, Chunk[]>();
  for (const item of decided) {
    const chunks = byType.get(item.group.aggregateType) ?? [];
    const last = chunks.at(-1);
    if (last && last.length < maxGroups) last.push(item);
    else chunks.push([item]);
    byType.set(item.group.aggregateType, chunks);
  }
  return [...byType.values()].flat();
}

/**
 * Writes a chunk's groups in one statement, so in one transaction; each group only if its row is still
 * at the version the batch read, so a group whose row moved is left out without touching the others
 * and runs again on its own under a row lock. When the statement fails (an email in use, a customer
 * gone, a deadlock) it wrote nothing, and each group is written on its own, so that the failure lands
 * on the group that caused it. Either way each group ends up written whole or not at all.
 */
export async function writeChunk(
  deps: GroupDeps,
  chunk: Chunk,
  context: DecideContext,
  requestId: string,
): Promise<AggregateResult[]> {
  if (chunk.length === 1) return [await writeDecided(deps, chunk[0]!, context, requestId)];
  const kind = aggregateKinds[chunk[0]!.group.aggregateType];
  const changes = chunk.flatMap(({ change }) => (change ? [change] : []));
  let saved: Set<string>;
  try {
    saved = await withSql(deps.dataSource, { transaction: false }, (sql) => kind.save(sql, changes));
  } catch (error) {
    deps.logger.debug(
      { err: error, groups: chunk.length },
      "chunk write failed; writing its groups one by one",
    );
    return inOrder(chunk, (item) => writeDecided(deps, item, context, requestId));
  }
  return inOrder(chunk, ({ group, snapshot, change }) => {
    const version = snapshot?.version ?? 0;
    return saved.has(group.aggregateId)
      ? Promise.resolve(succeeded(group, change, version))
      : rerunLocked(deps, group, version, context, requestId);
  });
}

async function inOrder<T, R>(items: T[], run: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (const item of items) results.push(await run(item));
  return results;
}
