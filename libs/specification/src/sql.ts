/** The PostgreSQL types a mapped column may have; every bound value is cast to its column's type. */
export type SqlType =
  "text" | "smallint" | "integer" | "bigint" | "boolean" | "timestamptz" | "uuid" | "jsonb" | "text[]";

/** A value a specification or bulk command may bind as a parameter. */
export type SqlValue = string | number | bigint | boolean | Date | readonly string[];

/** One column of the allow-list. */
export interface Column {
  /** Lower-case letters, digits and "_" only; rendered double-quoted. */
  readonly name: string;
  readonly type: SqlType;
  /** May hold NULL: predicates over it are rendered so that NULL makes them false, never unknown. */
  readonly nullable?: boolean;
}

/** The allow-list: the only columns SQL rendering can name, keyed by the aggregate field each holds. */
export type ColumnMap<T> = { readonly [K in keyof T]?: Column };

const identifierPattern = /^[a-z_][a-z0-9_]*$/;

/** Checks and returns a column map; a name outside `[a-z_][a-z0-9_]*` is a programming error. */
export function columnMap<T>(columns: ColumnMap<T>): ColumnMap<T> {
  for (const column of Object.values<Column | undefined>(columns)) {
    if (column) assertIdentifier(column.name);
  }
  return columns;
}

/** Throws unless `name` is a plain lower-case SQL identifier (safe to quote and embed). */
export function assertIdentifier(name: string): string {
  if (!identifierPattern.test(name)) throw new Error(`"${name}" is not an allowed SQL identifier`);
  return name;
}

/** The positional parameters of one statement; `bind` returns the placeholder, e.g. `$3::smallint`. */
export class SqlParameters {
  readonly values: unknown[] = [];

  bind(value: SqlValue, type: SqlType): string {
    assertBindable(value);
    this.values.push(value instanceof Date ? new Date(value.getTime()) : value);
    return `$${this.values.length}::${type}`;
  }
}

function assertBindable(value: SqlValue): void {
  if (typeof value === "string" && !isStorableText(value))
    throw new Error("text with NUL or unpaired surrogates");
  if (typeof value === "number" && !Number.isSafeInteger(value))
    throw new Error(`${value} is not a safe integer`);
  if (value instanceof Date && Number.isNaN(value.getTime())) throw new Error("invalid date");
  if (Array.isArray(value)) value.forEach((element) => assertBindable(element as string));
}

/** PostgreSQL text holds no NUL, and UTF-8 has no unpaired surrogates: such strings would not compare as in memory. */
export function isStorableText(value: string): boolean {
  return !value.includes("\u0000") && !unpairedSurrogate.test(value);
}

const unpairedSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
