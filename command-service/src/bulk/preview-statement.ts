import type { BulkOperation } from "./bulk-operation.ts";
import { countsCte, statementScope, type Statement } from "./statement.ts";

/** Rows: the counts on every row, then (when there is a sample) one sampled aggregate per row. */
export interface PreviewRow {
  matched: string;
  precondition_failed: string;
  unchanged: string;
  /** null on the single row of an empty sample. */
  id: string | null;
  version: string | null;
  /** The assigned fields' current values, by field name. */
  current: Record<string, unknown> | null;
}

/**
 * What a bulk update would do, read in one statement without writing: the counts and the first
 * `sampleSize` rows (by id) that would change, with the current values of the fields it assigns.
 */
export function previewStatement<T, E, K extends keyof T>(
  operation: BulkOperation<T, E, K>,
  sampleSize: number,
): Statement {
  const scope = statementScope(operation);
  const { command } = operation;
  const fields = Object.keys(command.assignments) as Array<keyof T & string>;
  const current = fields.map((field) => `${scope.sql.bind(field, "text")}, ${scope.sql.column(field)}`);
  const text = `WITH ${countsCte(scope, "TRUE")},
    sample AS (
      SELECT t.id, t.version, json_build_object(${current.join(", ")}) AS current
      FROM ${scope.table} t WHERE ${command.selection.toSql(scope.sql)}
      ORDER BY t.id LIMIT ${scope.sql.bind(sampleSize, "bigint")}
    )
    SELECT counts.matched, counts.precondition_failed, counts.unchanged, sample.id, sample.version, sample.current
    FROM counts LEFT JOIN sample ON TRUE ORDER BY sample.id`;
  return { text, values: scope.parameters.values };
}
