import type { DataSource } from "typeorm";
import { asConveyorError } from "./bulk-errors.ts";
import { emptyResult, type BulkResult } from "./bulk-result.ts";
import type { Statement } from "./statement.ts";
import type { UpdateRow } from "./update-statement.ts";

/** Runs one statement on a connection of the pool; a database error becomes a ConveyorError. */
export async function run<Row>(db: DataSource, statement: Statement): Promise<Row[]> {
  try {
    return await db.query<Row[]>(statement.text, statement.values);
  } catch (error) {
    throw asConveyorError(error);
  }
}

export function countsOf(row: { matched: string; precondition_failed: string; unchanged: string }) {
  const matched = Number(row.matched);
  const skippedPrecondition = Number(row.precondition_failed);
  const unchanged = Number(row.unchanged);
  return { matched, skippedPrecondition, unchanged, wouldChange: matched - skippedPrecondition - unchanged };
}

// Under concurrency a row counted as changing may fail its re-check once locked; it is then reported
// as skipped by a precondition, so that matched = updated + skipped + unchanged always holds.
export function resultOf(row: UpdateRow): { result: BulkResult; wouldChange: number } {
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
