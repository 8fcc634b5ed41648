import type { BulkOperation } from "./bulk-operation.ts";
import { statementScope, type Statement } from "./statement.ts";
import type { KeyRange } from "./update-statement.ts";

/** The next key range and how many of its rows would change when it was cut. */
export interface CutRange {
  range: KeyRange;
  planned: number;
}

/** One row: the changing rows the next range holds (at most `size`) and its last id (null: the last range). */
export interface CutRow {
  planned: string;
  up_to: string | null;
}

/**
 * Cuts the key range that follows `after`: it ends at the size-th row (by id) that would change. When no
 * changing row follows that one, it is the last range and runs to the end of the key space instead, so
 * that the ranges together cover every id (and every matched row is counted once).
 */
export function rangeCutStatement<T, E, K extends keyof T>(
  operation: BulkOperation<T, E, K>,
  after: string | null,
  size: number,
): Statement {
  const scope = statementScope(operation);
  const { sql, table } = scope;
  const from = after === null ? "" : ` AND t.id > ${sql.bind(after, "uuid")}`;
  const limit = sql.bind(size, "bigint");
  const text = `WITH next AS MATERIALIZED (
      SELECT t.id FROM ${table} t WHERE ${operation.command.selection.toSql(sql)}${from}
      ORDER BY t.id LIMIT ${limit} + 1
    )
    SELECT least(count(*), ${limit}) AS planned,
      CASE WHEN count(*) > ${limit} THEN (SELECT id FROM next ORDER BY id OFFSET ${limit} - 1 LIMIT 1) END AS up_to
    FROM next`;
  return { text, values: scope.parameters.values };
}

export function cutOf(after: string | null, row: CutRow): CutRange {
  return { range: { after, upTo: row.up_to }, planned: Number(row.planned) };
}
