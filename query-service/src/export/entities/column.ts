/** How a read-model column is typed, which decides how each output format spells it. */
export type ColumnType = "uuid" | "text" | "enum" | "int32" | "int64" | "bool" | "timestamp" | "text_array";

/**
 * One exported column: its SQL expression, its name (CSV header, NDJSON key) and where it goes in the
 * typed row message (`field`, or `field` of the nested message `group` names).
 */
export interface Column {
  name: string;
  sql: string;
  type: ColumnType;
  field: number;
  group?: number;
  /** For enums: the read model's names, in the order of the proto enum's numbers from 1. */
  enumNames?: readonly string[];
}

/** An export's table: its key (the first column, a uuid) and the columns in output order. */
export interface ExportTable {
  kind: ExportKind;
  table: string;
  key: string;
  columns: readonly Column[];
}

export type ExportKind = "orders" | "tasks" | "users";

/** The SELECT list of a table's columns. */
export function selectList(table: ExportTable): string {
  return table.columns.map((column) => column.sql).join(", ");
}
