import {
  assertIdentifier,
  type Column,
  type ColumnMap,
  type SqlParameters,
  type SqlType,
  type SqlValue,
} from "./sql.ts";

/** What a specification renders SQL with: columns from the allow-list and bound parameters, nothing else. */
export interface SqlContext<T> {
  /** The quoted (and, with an alias, qualified) column of `field`; throws when the allow-list lacks it. */
  column(field: keyof T & string): string;
  /** The allow-list entry of `field`; throws when there is none. */
  columnOf(field: keyof T & string): Column;
  /** A placeholder for `value`, cast to the type of `field`'s column. */
  value(field: keyof T & string, value: SqlValue): string;
  /** A placeholder for `value`, cast to `type`. */
  bind(value: SqlValue, type: SqlType): string;
}

/** A rendering context over `columns`, binding into `parameters`; `alias` qualifies every column. */
export function sqlContext<T>(
  columns: ColumnMap<T>,
  parameters: SqlParameters,
  alias?: string,
): SqlContext<T> {
  const prefix = alias === undefined ? "" : `"${assertIdentifier(alias)}".`;
  const columnOf = (field: keyof T & string): Column => {
    const column = Object.hasOwn(columns, field) ? columns[field] : undefined;
    if (!column) throw new Error(`field "${field}" is not in the column allow-list`);
    return column;
  };
  return {
    columnOf,
    column: (field) => `${prefix}"${assertIdentifier(columnOf(field).name)}"`,
    value: (field, value) => parameters.bind(value, columnOf(field).type),
    bind: (value, type) => parameters.bind(value, type),
  };
}
