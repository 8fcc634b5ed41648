import { ValidationError } from "@conveyor/errors";
import type { ExportTable } from "../entities/column.ts";
import type { ExportDeps } from "../export-runner.ts";
import { estimateSql } from "../export-sql.ts";
import type { ExportFilter } from "../filters/export-filter.ts";
import { ExportSession } from "../stream/export-session.ts";

export interface ParallelPlanRequest {
  table: ExportTable;
  filter: ExportFilter;
  parts: number;
  consistencyToken: string;
  signal: AbortSignal;
}

export interface ParallelPlan {
  partCursors: string[];
  estimatedTotal: number;
  startBefore: Date;
}

/** Keys sampled to place the split points: enough for even parts, cheap on any table size. */
const SAMPLE_ROWS = 100_000;

/**
 * Exports a snapshot (pg_export_snapshot) from a transaction that stays open for the parts to import,
 * samples the selected keys in it (TABLESAMPLE) to split the key space into ranges of about equal
 * rows, and returns one cursor per range. Ranges are (lo, hi] with shared bounds, so every row falls
 * in exactly one part; equal split points (tiny tables) give fewer parts.
 */
export async function planParallelExport(
  deps: ExportDeps,
  request: ParallelPlanRequest,
): Promise<ParallelPlan> {
  const { table, filter, parts } = request;
  const max = deps.settings.maxParallelParts;
  if (!Number.isInteger(parts) || parts < 1 || parts > max)
    throw new ValidationError("parts", `must be 1 to ${max}`);
  await deps.consistency.waitFor(request.consistencyToken, request.signal);
  const holder = await ExportSession.open({
    pool: deps.pool,
    slots: deps.slots,
    limits: {
      maxDurationMs: deps.settings.snapshotHoldMs + 5_000,
      idleWriteTimeoutMs: deps.settings.snapshotHoldMs,
    },
    signal: new AbortController().signal,
  });
  try {
    const [{ id }] = (await holder.query<{ id: string }>("SELECT pg_export_snapshot() AS id")) as [
      { id: string },
    ];
    const estimatedTotal = await estimate(holder, table, filter);
    const bounds = await splitKeys(holder, table, filter, parts, estimatedTotal);
    const ranges = [undefined, ...bounds].map((lo, i) => ({ lo, hi: bounds[i] }));
    deps.holders.hold(id, ranges.length, () => holder.close());
    const partCursors = ranges.map(({ lo, hi }) =>
      deps.codec.encode({
        kind: table.kind,
        mode: "export",
        filter: filter.digest,
        lo,
        hi,
        rows: 0,
        read: [],
        snapshot: id,
      }),
    );
    return { partCursors, estimatedTotal, startBefore: new Date(Date.now() + deps.settings.snapshotHoldMs) };
  } catch (error) {
    await holder.close();
    throw error;
  }
}

async function estimate(session: ExportSession, table: ExportTable, filter: ExportFilter): Promise<number> {
  const [row] = await session.query<{ "QUERY PLAN": [{ Plan: { "Plan Rows": number } }] }>(
    estimateSql(table, { predicate: filter.predicate }),
  );
  return Math.round(row?.["QUERY PLAN"][0].Plan["Plan Rows"] ?? 0);
}

async function splitKeys(
  session: ExportSession,
  table: ExportTable,
  filter: ExportFilter,
  parts: number,
  estimatedTotal: number,
): Promise<string[]> {
  if (parts === 1) return [];
  const fractions = Array.from({ length: parts - 1 }, (_, i) => (i + 1) / parts);
  const percent = Math.min(100, (100 * SAMPLE_ROWS) / Math.max(1, estimatedTotal));
  const [row] = await session.query<{ bounds: string[] | null }>(
    `SELECT percentile_disc(ARRAY[${fractions.join(",")}]::float8[]) WITHIN GROUP (ORDER BY ${table.key})::text[] AS bounds
     FROM (SELECT ${table.key} FROM ${table.table} TABLESAMPLE SYSTEM (${percent}) WHERE ${filter.predicate}) sample`,
  );
  return [...new Set(row?.bounds ?? [])];
}
