import type { Pool } from "pg";
import type { ExportOptions } from "@conveyor/proto/conveyor/query/v1/exports_pb";
import type { CursorCodec } from "./cursor/cursor-codec.ts";
import type { CursorState, Segment } from "./cursor/cursor-state.ts";
import type { ExportTable } from "./entities/column.ts";
import { chunkPolicy, encoderFor } from "./export-format.ts";
import type { ExportSettings } from "./export-settings.ts";
import { changesCopySql, estimateSql, exportCopySql } from "./export-sql.ts";
import { afterChunk, completed, startingState, startsAtBeginning } from "./export-state.ts";
import { formatLabel, measuredExport, type ExportMetrics } from "./export-metrics.ts";
import type { ExportFilter } from "./filters/export-filter.ts";
import type { ConsistencyGate } from "./read-your-writes.ts";
import type { SnapshotHolders } from "./parallel/snapshot-holders.ts";
import { Chunker } from "./stream/chunker.ts";
import { ExportSession } from "./stream/export-session.ts";
import type { StreamSlots } from "./stream/stream-slots.ts";

/** What the export engine needs from the service. */
export interface ExportDeps {
  pool: Pool;
  slots: StreamSlots;
  settings: ExportSettings;
  codec: CursorCodec;
  consistency: ConsistencyGate;
  holders: SnapshotHolders;
  /** Rows and durations, when the service keeps metrics. */
  metrics?: ExportMetrics;
}

export interface ExportRequest {
  table: ExportTable;
  filter: ExportFilter;
  options: ExportOptions | undefined;
  mode: CursorState["mode"];
  /** The RPC's signal. */
  signal: AbortSignal;
}

/** One message of an export stream, format-neutral: the API layer turns it into a response. */
export interface ExportMessage {
  /** Encoded rows: CSV/NDJSON bytes, or the wire bytes of the `rows` field. */
  data: Buffer;
  removedIds: string[];
  cursor: string;
  rowsSoFar: number;
  estimatedTotal: number;
  done: boolean;
}

/**
 * Streams an export (or the changes since one) in key order from one REPEATABLE READ snapshot, one
 * COPY per key range, pulling rows only as fast as the consumer takes messages.
 */
export function runExport(deps: ExportDeps, request: ExportRequest): AsyncGenerator<ExportMessage> {
  const messages = streamExport(deps, request);
  if (!deps.metrics) return messages;
  const { table, filter, options, mode } = request;
  const labels = { table: table.kind, format: formatLabel(options?.format), mode };
  const rowsBefore = () =>
    startingState(deps.codec, options?.cursor ?? "", table.kind, filter.digest, mode).rows;
  return measuredExport(deps.metrics, labels, rowsBefore, messages);
}

async function* streamExport(deps: ExportDeps, request: ExportRequest): AsyncGenerator<ExportMessage> {
  const { table, filter, options, mode, signal } = request;
  const encoder = encoderFor(options?.format ?? 0, table.columns);
  const policy = chunkPolicy(options?.chunkSize ?? 0);
  let state = startingState(deps.codec, options?.cursor ?? "", table.kind, filter.digest, mode);
  if (state.complete) {
    yield final(deps, state, Buffer.alloc(0), 0);
    return;
  }
  await deps.consistency.waitFor(options?.consistencyToken ?? "", signal);
  const snapshotToImport = state.after === undefined ? state.snapshot : undefined;
  const session = await ExportSession.open({
    pool: deps.pool,
    slots: deps.slots,
    limits: deps.settings,
    signal,
    snapshot: snapshotToImport,
  });
  try {
    if (snapshotToImport) deps.holders.partStarted(snapshotToImport);
    const [{ snapshot }] = (await session.query<{ snapshot: string }>(
      "SELECT pg_current_snapshot()::text AS snapshot",
    )) as [{ snapshot: string }];
    const estimatedTotal = mode === "export" ? await estimate(session, table, filter, state) : 0;
    const chunker = new Chunker(encoder, policy, mode === "changes");
    if (encoder.header && startsAtBeginning(state)) chunker.prepend(encoder.header);
    for (const sql of statements(table, filter, state)) {
      for await (const chunk of session.copy(sql, chunker)) {
        state = afterChunk(state, chunk, snapshot);
        session.awaitingClient();
        yield { data: chunk.data, removedIds: chunk.removedIds, ...progress(deps, state, estimatedTotal) };
        session.clientReturned();
        // The response holding chunk.data has been serialized by now (connect asks for the next message after).
        chunker.recycle(chunk.data);
      }
    }
    yield final(deps, completed(state, snapshot), chunker.takeLeftover(), estimatedTotal);
  } finally {
    await session.close();
  }
}

function final(deps: ExportDeps, state: CursorState, data: Buffer, estimatedTotal: number): ExportMessage {
  return { data, removedIds: [], ...progress(deps, state, estimatedTotal), done: true };
}

function progress(deps: ExportDeps, state: CursorState, estimatedTotal: number) {
  return { cursor: deps.codec.encode(state), rowsSoFar: state.rows, estimatedTotal, done: false };
}

/** The COPY statements that read what is left: the range after the cursor, or each base segment's part of it. */
function statements(table: ExportTable, filter: ExportFilter, state: CursorState): string[] {
  const after = state.after ?? state.lo;
  if (state.mode === "export")
    return [exportCopySql(table, { predicate: filter.predicate, after, upTo: state.hi })];
  return baseRanges(state).map(({ from, upTo, since }) =>
    changesCopySql(
      table,
      { predicate: filter.predicate, after: later(from, after), upTo: upTo ?? state.hi },
      since,
    ),
  );
}

/** Each base segment with the key range it covers, skipping those wholly before the cursor. */
function baseRanges(state: CursorState): { from: string | undefined; upTo: string | null; since: Segment }[] {
  let from = state.lo;
  return (state.base ?? []).flatMap((since) => {
    const range = { from, upTo: since.upTo, since };
    from = since.upTo ?? undefined;
    const done = state.after !== undefined && since.upTo !== null && since.upTo <= state.after;
    return done ? [] : [range];
  });
}

function later(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return a > b ? a : b;
}

async function estimate(
  session: ExportSession,
  table: ExportTable,
  filter: ExportFilter,
  state: CursorState,
): Promise<number> {
  const [row] = await session.query<{ "QUERY PLAN": [{ Plan: { "Plan Rows": number } }] }>(
    estimateSql(table, { predicate: filter.predicate, after: state.lo, upTo: state.hi }),
  );
  return Math.round(row?.["QUERY PLAN"][0].Plan["Plan Rows"] ?? 0);
}
