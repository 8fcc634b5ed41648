/** One aggregate a dry run would change. */
export interface SampleChange {
  aggregateId: string;
  /** Its current version (the change would make it version + 1). */
  version: number;
  /** e.g. `execution_date: null -> "2026-01-01T00:00:00.000Z"`. */
  description: string;
}

/** What a bulk update did (or, in a dry run, would do). */
export interface BulkResult {
  /** Aggregates the filter selects. */
  matched: number;
  /** Aggregates changed (dry run: that would change). */
  updated: number;
  /** Matched, but a precondition refused them (including rows a concurrent change made ineligible). */
  skippedPrecondition: number;
  /** Matched and allowed, but already in the target state: not rewritten, no event. */
  unchanged: number;
  eventsWritten: number;
  rangesCommitted: number;
  sample: SampleChange[];
}

export const emptyResult: BulkResult = {
  matched: 0,
  updated: 0,
  skippedPrecondition: 0,
  unchanged: 0,
  eventsWritten: 0,
  rangesCommitted: 0,
  sample: [],
};

/** Adds up the counts of two parts of one bulk update. */
export function addResults(a: BulkResult, b: BulkResult): BulkResult {
  return {
    matched: a.matched + b.matched,
    updated: a.updated + b.updated,
    skippedPrecondition: a.skippedPrecondition + b.skippedPrecondition,
    unchanged: a.unchanged + b.unchanged,
    eventsWritten: a.eventsWritten + b.eventsWritten,
    rangesCommitted: a.rangesCommitted + b.rangesCommitted,
    sample: [...a.sample, ...b.sample],
  };
}
