import type { DataSource } from "typeorm";
import { currentTraceparent } from "@conveyor/runtime";
import type { BulkOperation } from "./bulk-operation.ts";
import { asConveyorError, BulkUpdateInterrupted, tooManyAffected } from "./bulk-errors.ts";
import { addResults, emptyResult, type BulkResult } from "./bulk-result.ts";
import { previewStatement, type PreviewRow } from "./preview-statement.ts";
import { describeChange } from "./sample-description.ts";
import { updateStatement, type KeyRange, type UpdateRow } from "./update-statement.ts";

export interface BulkUpdateOptions {
  /** Correlation id of the events written. */
  requestId: string;
  /** Count and sample; write nothing. */
  dryRun: boolean;
  /** Fail, writing nothing, when more aggregates would change. */
  maxAffected: number;
  /** Dry run: how many changes to sample. */
  sampleSize: number;
  /** 0: one statement. Otherwise key ranges of at most this many changing rows, each committed on its own. */
  rangeSize: number;
}

/**
 * Runs a bulk operation: a dry run reads counts and a sample; otherwise one statement updates every
 * selected row and writes its events, or (with a range size) one such statement per key range.
 */
export async function runBulkUpdate<T, E, K extends keyof T>(
  db: DataSource,
  operation: BulkOperation<T, E, K>,
  options: BulkUpdateOptions,
): Promise<BulkResult> {
  if (options.dryRun) return preview(db, operation, options.sampleSize);
  if (options.rangeSize === 0) return updateAll(db, operation, options);
  return updateByRanges(db, operation, options);
}

async function preview<T, E, K extends keyof T>(
  db: DataSource,
  operation: BulkOperation<T, E, K>,
  sampleSize: number,
) {
  const rows = await run<PreviewRow>(db, previewStatement(operation, sampleSize));
  const { wouldChange, ...counts } = countsOf(rows[0]!);
  const sample = rows.flatMap((row) =>
    row.id === null
      ? []
      : [
          {
            aggregateId: row.id,
            version: Number(row.version),
            description: describeChange(operation, row.current ?? {}),
          },
        ],
  );
  return { ...emptyResult, ...counts, updated: wouldChange, sample };
}

async function updateAll<T, E, K extends keyof T>(
  db: DataSource,
  operation: BulkOperation<T, E, K>,
  options: BulkUpdateOptions,
): Promise<BulkResult> {
  const statement = updateStatement(operation, {
    ...eventIds(options),
    budget: options.maxAffected,
    range: null,
  });
  const [row] = await run<UpdateRow>(db, statement);
  const result = resultOf(row!);
  if (result.wouldChange > options.maxAffected)
    throw tooManyAffected(result.wouldChange, options.maxAffected);
  return result.result;
}

async function updateByRanges<T, E, K extends keyof T>(
  db: DataSource,
  operation: BulkOperation<T, E, K>,
  options: BulkUpdateOptions,
): Promise<BulkResult> {
  const { wouldChange } = countsOf((await run<PreviewRow>(db, previewStatement(operation, 0)))[0]!);
  if (wouldChange > options.maxAffected) throw tooManyAffected(wouldChange, options.maxAffected);
  let committed = emptyResult;
  let after: string | null = null;
  do {
    const budget = options.maxAffected - committed.updated;
    const range: KeyRange = { after, size: options.rangeSize };
    try {
      const statement = updateStatement(operation, { ...eventIds(options), budget, range });
      const [row] = await run<UpdateRow>(db, statement);
      const { result, wouldChange: inRange } = resultOf(row!);
      if (inRange > budget) {
        throw tooManyAffected(committed.updated + inRange, options.maxAffected, "this range was not written");
      }
      committed = addResults(committed, result);
      after = row!.range_end;
    } catch (error) {
      throw new BulkUpdateInterrupted(committed, asConveyorError(error));
    }
  } while (after !== null);
  return committed;
}

// A bulk update is one command (index 0 of its request), like the commands of a batch are <request>/<index>.
// Its events carry the trace context of the request being served.
function eventIds(options: BulkUpdateOptions) {
  return {
    correlationId: options.requestId,
    causationId: `${options.requestId}/0`,
    traceContext: currentTraceparent(),
  };
}

async function run<Row>(db: DataSource, statement: { text: string; values: unknown[] }): Promise<Row[]> {
  try {
    return await db.query<Row[]>(statement.text, statement.values);
  } catch (error) {
    throw asConveyorError(error);
  }
}

function countsOf(row: { matched: string; precondition_failed: string; unchanged: string }) {
  const matched = Number(row.matched);
  const skippedPrecondition = Number(row.precondition_failed);
  const unchanged = Number(row.unchanged);
  return { matched, skippedPrecondition, unchanged, wouldChange: matched - skippedPrecondition - unchanged };
}

// Under concurrency a row counted as changing may fail its re-check once locked; it is then reported
// as skipped by a precondition, so that matched = updated + skipped + unchanged always holds.
function resultOf(row: UpdateRow): { result: BulkResult; wouldChange: number } {
  const { matched, unchanged, wouldChange } = countsOf(row);
  const updated = Number(row.updated);
  const result = {
    ...emptyResult,
    matched,
    updated,
    unchanged,
    skippedPrecondition: matched - unchanged - updated,
    eventsWritten: updated,
    rangesCommitted: 1,
  };
  return { result, wouldChange };
}
