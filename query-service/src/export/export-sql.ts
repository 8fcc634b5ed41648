import type { Segment } from "./cursor/cursor-state.ts";
import { type ExportTable, selectList } from "./entities/column.ts";

/** Which rows of a table one statement reads: a filter and the keys in (after, upTo]. */
export interface RowSelection {
  predicate: string;
  after?: string;
  upTo?: string | null;
}

/** The column that records which transaction last wrote a read-model row (see the changes migration). */
export const CHANGED_XID = "changed_xid";

/** COPY of the selected rows, in key order, in text format (what the encoders read). */
export function exportCopySql(table: ExportTable, selection: RowSelection): string {
  return `COPY (SELECT ${selectList(table)} FROM ${table.table} WHERE ${where(table, selection)} ORDER BY ${table.key}) TO STDOUT`;
}

/**
 * COPY of the rows in (after, upTo] whose last write is not visible in `since`, in key order, with one
 * more column saying whether each row matches the filter. The first condition lets an index on
 * changed_xid skip every row written before the snapshot's oldest running transaction.
 */
export function changesCopySql(table: ExportTable, selection: RowSelection, since: Segment): string {
  const snapshot = `'${since.snapshot}'::pg_snapshot`;
  const changed = [
    `${CHANGED_XID} >= pg_snapshot_xmin(${snapshot})`,
    `NOT pg_visible_in_snapshot(${CHANGED_XID}, ${snapshot})`,
  ];
  const range = where(table, { ...selection, predicate: "true" });
  return `COPY (SELECT ${selectList(table)}, (${selection.predicate}) FROM ${table.table} WHERE ${range} AND ${changed.join(" AND ")} ORDER BY ${table.key}) TO STDOUT`;
}

/** EXPLAIN of the selected rows: the planner's estimate of their number. */
export function estimateSql(table: ExportTable, selection: RowSelection): string {
  return `EXPLAIN (FORMAT JSON) SELECT 1 FROM ${table.table} WHERE ${where(table, selection)}`;
}

function where(table: ExportTable, { predicate, after, upTo }: RowSelection): string {
  const conditions = [
    ...(after === undefined ? [] : [`${table.key} > '${after}'::uuid`]),
    ...(upTo === undefined || upTo === null ? [] : [`${table.key} <= '${upTo}'::uuid`]),
  ];
  return [...conditions, `(${predicate})`].join(" AND ");
}
