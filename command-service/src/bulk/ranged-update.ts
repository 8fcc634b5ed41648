import type { DataSource } from "typeorm";
import type { BulkOperation } from "./bulk-operation.ts";
import { asConveyorError, BulkUpdateInterrupted, tooManyAffected } from "./bulk-errors.ts";
import { addResults, emptyResult, type BulkResult } from "./bulk-result.ts";
import { bulkEventIds } from "./event-ids.ts";
import { cutOf, rangeCutStatement, type CutRange, type CutRow } from "./range-cut.ts";
import { resultOf, run } from "./run-statement.ts";
import { updateStatement, type UpdateRow } from "./update-statement.ts";

export interface RangedUpdateOptions {
  requestId: string;
  maxAffected: number;
  /** At most this many changing rows per range (as counted when the range is cut). */
  rangeSize: number;
  /** Ranges running at once, each statement on a connection of its own from the pool. */
  concurrency: number;
  /** Rows that would change, counted before the first range. */
  wouldChange: number;
}

/** Where a ranged update stands; ranges that run at once update it as they end. */
interface Progress {
  committed: BulkResult;
  /** Ordinals (1 = first in key order) of the committed ranges. */
  committedRanges: number[];
  /** Rows planned in the ranges cut so far. */
  plannedCut: number;
  /** The budgets, and the changing rows planned, of the ranges running now. */
  budgetRunning: number;
  plannedRunning: number;
  failure?: unknown;
}

/**
 * Key ranges, each its own statement and transaction, cut in key order while earlier ones run, up to
 * `concurrency` at once. The max-affected guard stays strict: a range's budget is what is left after
 * the committed changes, the budgets of the ranges running and the rows still planned for later ones.
 * After a failure no range starts; the running ones end, and the error reports exactly which ranges
 * committed (with concurrency, not necessarily a prefix of the key space) and what they changed.
 */
export async function updateInRanges<T, E, K extends keyof T>(
  db: DataSource,
  operation: BulkOperation<T, E, K>,
  options: RangedUpdateOptions,
): Promise<BulkResult> {
  const progress: Progress = {
    committed: emptyResult,
    committedRanges: [],
    plannedCut: 0,
    budgetRunning: 0,
    plannedRunning: 0,
  };
  const running = new Set<Promise<void>>();
  let after: string | null = null;
  let ordinal = 0;
  try {
    do {
      while (running.size >= options.concurrency) await Promise.race(running);
      if (progress.failure !== undefined) break;
      const [row] = await run<CutRow>(db, rangeCutStatement(operation, after, options.rangeSize));
      const cut = cutOf(after, row!);
      ordinal += 1;
      const ranging = runRange(db, operation, options, progress, cut, ordinal).finally(() =>
        running.delete(ranging),
      );
      running.add(ranging);
      after = cut.range.upTo;
    } while (after !== null);
  } catch (error) {
    progress.failure ??= error;
  }
  await Promise.all(running);
  if (progress.failure === undefined) return progress.committed;
  throw new BulkUpdateInterrupted(progress.committed, asConveyorError(progress.failure), {
    committedRanges: progress.committedRanges.sort((a, b) => a - b),
    rangesStarted: ordinal,
  });
}

// Never rejects: a failure is recorded in `progress` for the loop cutting ranges to see.
async function runRange<T, E, K extends keyof T>(
  db: DataSource,
  operation: BulkOperation<T, E, K>,
  options: RangedUpdateOptions,
  progress: Progress,
  cut: CutRange,
  ordinal: number,
): Promise<void> {
  progress.plannedCut += cut.planned;
  const laterPlanned = () => Math.max(options.wouldChange - progress.plannedCut, 0);
  const budget = options.maxAffected - progress.committed.updated - progress.budgetRunning - laterPlanned();
  progress.budgetRunning += budget;
  progress.plannedRunning += cut.planned;
  try {
    const statement = updateStatement(operation, {
      ...bulkEventIds(options.requestId),
      budget,
      range: cut.range,
    });
    const [row] = await run<UpdateRow>(db, statement);
    const { result, wouldChange: inRange } = resultOf(row!);
    if (inRange > budget) {
      const others = progress.committed.updated + progress.plannedRunning - cut.planned + laterPlanned();
      throw tooManyAffected(others + inRange, options.maxAffected, "this range was not written");
    }
    progress.committed = addResults(progress.committed, result);
    progress.committedRanges.push(ordinal);
  } catch (error) {
    progress.failure ??= error;
  } finally {
    progress.budgetRunning -= budget;
    progress.plannedRunning -= cut.planned;
  }
}
