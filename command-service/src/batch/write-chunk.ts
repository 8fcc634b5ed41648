import type { DecideContext } from "./aggregate-kind.ts";
import { aggregateKinds } from "./aggregate-kinds.ts";
import { succeeded } from "./aggregate-results.ts";
import type { AggregateResult } from "./batch-command.ts";
import { rerunLocked, writeDecided, type DecidedGroup, type GroupDeps } from "./run-group.ts";
import { withSql } from "./sql.ts";

/** Groups with something to write, all of one aggregate type, written by one statement. */
export type Chunk = DecidedGroup[];

/**
 * A wave's groups of one type go to up to `parallelism` chunks of even size, so the database works on
 * them on that many connections at once, but of no fewer than `minGroupsPerChunk` groups (a statement
 * per handful of groups costs more than it spreads) and no more than `maxGroupsPerChunk` (so that a
 * failing chunk, rerun group by group, costs little).
 */
export const minGroupsPerChunk = 16;
export const maxGroupsPerChunk = 100;

/** Splits groups into chunks of one aggregate type each (see minGroupsPerChunk), keeping their order within a type. */
export function chunksOf(decided: DecidedGroup[], parallelism: number): Chunk[] {
  const byType = new Map<string, DecidedGroup[]>();
  for (const item of decided) {
    const ofType = byType.get(item.group.aggregateType);
    if (ofType) ofType.push(item);
    else byType.set(item.group.aggregateType, [item]);
  }
  const chunks: Chunk[] = [];
  for (const ofType of byType.values()) {
    const wanted = Math.max(1, Math.min(parallelism, Math.floor(ofType.length / minGroupsPerChunk)));
    const count = Math.max(wanted, Math.ceil(ofType.length / maxGroupsPerChunk));
    const size = Math.ceil(ofType.length / count);
    for (let start = 0; start < ofType.length; start += size) chunks.push(ofType.slice(start, start + size));
  }
  return chunks;
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
