import type { DataSource } from "typeorm";
import type { BulkOperation } from "./bulk-operation.ts";
import { tooManyAffected } from "./bulk-errors.ts";
import { emptyResult, type BulkResult } from "./bulk-result.ts";
import { bulkEventIds } from "./event-ids.ts";
import { previewStatement, type PreviewRow } from "./preview-statement.ts";
import { updateInRanges } from "./ranged-update.ts";
import { countsOf, resultOf, run } from "./run-statement.ts";
import { describeChange } from "./sample-description.ts";
import { updateStatement, type UpdateRow } from "./update-statement.ts";

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
  /**
   * Key ranges running at once, each on its own pooled connection (default 1: one after another, so the
   * committed ranges are always a prefix of the key space). Bounded by the pool's size.
   */
  rangeConcurrency?: number;
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
    ...bulkEventIds(options.requestId),
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
  return updateInRanges(db, operation, {
    requestId: options.requestId,
    maxAffected: options.maxAffected,
    rangeSize: options.rangeSize,
    concurrency: Math.max(options.rangeConcurrency ?? 1, 1),
    wouldChange,
  });
}
