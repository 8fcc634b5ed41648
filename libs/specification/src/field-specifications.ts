import type { SqlContext } from "./sql-context.ts";
import type { SqlValue } from "./sql.ts";
import { specification, type Specification } from "./specification.ts";

/** A field value that equality and ordering specifications compare. */
export type Comparable = string | number | boolean | Date;

type FieldOf<T> = keyof T & string;

/** Satisfied when `field` holds `value` (dates compare by instant). */
export function fieldEquals<T, K extends FieldOf<T>>(
  field: K,
  value: T[K] & Comparable,
  description?: string,
): Specification<T> {
  return specification({
    description: description ?? `${field} = ${show(value)}`,
    test: (candidate) => sameValue(candidate[field], value),
    sql: (sql) => nullIsFalse(sql, field, `${sql.column(field)} = ${sql.value(field, value)}`),
  });
}

/** Satisfied when `field` holds no value (null or undefined in memory, NULL in SQL). */
export function fieldIsNull<T>(field: FieldOf<T>, description?: string): Specification<T> {
  return specification({
    description: description ?? `${field} is null`,
    test: (candidate) => candidate[field] === null || candidate[field] === undefined,
    sql: (sql) => `(${sql.column(field)} IS NULL)`,
  });
}

/** Satisfied when `field` holds a date strictly before `value`; a missing date never is. */
export function fieldBefore<T>(field: FieldOf<T>, value: Date, description?: string): Specification<T> {
  return specification({
    description: description ?? `${field} < ${show(value)}`,
    test: (candidate) => asTime(candidate[field]) < value.getTime(),
    sql: (sql) => nullIsFalse(sql, field, `${sql.column(field)} < ${sql.value(field, value)}`),
  });
}

/** Satisfied when `field` holds a date strictly after `value`; a missing date never is. */
export function fieldAfter<T>(field: FieldOf<T>, value: Date, description?: string): Specification<T> {
  return specification({
    description: description ?? `${field} > ${show(value)}`,
    test: (candidate) => asTime(candidate[field]) > value.getTime(),
    sql: (sql) => nullIsFalse(sql, field, `${sql.column(field)} > ${sql.value(field, value)}`),
  });
}

/** Satisfied when the string array in `field` (a text[] column) contains `element`. */
export function arrayContains<T>(field: FieldOf<T>, element: string, description?: string): Specification<T> {
  return specification({
    description: description ?? `${field} contains ${show(element)}`,
    test: (candidate) => (candidate[field] as readonly string[]).includes(element),
    // @> is never NULL for non-NULL arrays, and an array column's GIN index can serve it.
    sql: (sql) => `(${sql.column(field)} @> ARRAY[${sql.bind(element, "text")}])`,
  });
}

/** Equality as PostgreSQL sees it for the comparable types: dates by instant, everything else strictly. */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  return a === b;
}

function asTime(value: unknown): number {
  return value instanceof Date ? value.getTime() : Number.NaN;
}

// A comparison with NULL is unknown, and NOT unknown is still unknown: pin it to false so that the SQL
// form stays two-valued like the in-memory one.
function nullIsFalse<T>(sql: SqlContext<T>, field: FieldOf<T>, predicate: string): string {
  return sql.columnOf(field).nullable
    ? `(${predicate} AND ${sql.column(field)} IS NOT NULL)`
    : `(${predicate})`;
}

function show(value: SqlValue): string {
  return value instanceof Date ? value.toISOString() : JSON.stringify(value);
}
