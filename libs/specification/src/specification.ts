import type { SqlContext } from "./sql-context.ts";

/**
 * A rule about a T, usable two ways that must agree: tested against an object in memory, and rendered
 * as a SQL predicate over the row holding that object.
 */
export interface Specification<T> {
  /** Human-readable, e.g. "month = 3". */
  readonly description: string;
  isSatisfiedBy(candidate: T): boolean;
  /**
   * A parenthesised SQL predicate that is TRUE or FALSE for every row, never NULL (so NOT inverts it
   * exactly as in memory). Values are bound through `sql`, columns come from its allow-list.
   */
  toSql(sql: SqlContext<T>): string;
  and(...others: Specification<T>[]): Specification<T>;
  or(...others: Specification<T>[]): Specification<T>;
  not(): Specification<T>;
}

/** How to build a specification: the same rule, once for memory and once for SQL. */
export interface SpecificationDefinition<T> {
  description: string;
  test(candidate: T): boolean;
  sql(sql: SqlContext<T>): string;
}

/** Makes a specification from its two forms. */
export function specification<T>(definition: SpecificationDefinition<T>): Specification<T> {
  const spec: Specification<T> = {
    description: definition.description,
    isSatisfiedBy: (candidate) => definition.test(candidate),
    toSql: (sql) => definition.sql(sql),
    and: (...others) => and(spec, ...others),
    or: (...others) => or(spec, ...others),
    not: () => not(spec),
  };
  return spec;
}

/** The same rule under a description that reads better in messages, e.g. "the task is not completed". */
export function named<T>(description: string, spec: Specification<T>): Specification<T> {
  return specification({
    description,
    test: (candidate) => spec.isSatisfiedBy(candidate),
    sql: (sql) => spec.toSql(sql),
  });
}

/** Satisfied by everything. */
export function always<T>(): Specification<T> {
  return specification({ description: "always", test: () => true, sql: () => "TRUE" });
}

/** Satisfied by nothing. */
export function never<T>(): Specification<T> {
  return specification({ description: "never", test: () => false, sql: () => "FALSE" });
}

/** Satisfied when every one of `specs` is; `and()` is `always`. */
export function and<T>(...specs: Specification<T>[]): Specification<T> {
  if (specs.length === 0) return always();
  if (specs.length === 1) return specs[0]!;
  return specification({
    description: `(${specs.map((s) => s.description).join(" and ")})`,
    test: (candidate) => specs.every((s) => s.isSatisfiedBy(candidate)),
    sql: (sql) => `(${specs.map((s) => s.toSql(sql)).join(" AND ")})`,
  });
}

/** Satisfied when at least one of `specs` is; `or()` is `never`. */
export function or<T>(...specs: Specification<T>[]): Specification<T> {
  if (specs.length === 0) return never();
  if (specs.length === 1) return specs[0]!;
  return specification({
    description: `(${specs.map((s) => s.description).join(" or ")})`,
    test: (candidate) => specs.some((s) => s.isSatisfiedBy(candidate)),
    sql: (sql) => `(${specs.map((s) => s.toSql(sql)).join(" OR ")})`,
  });
}

/** Satisfied exactly when `spec` is not. */
export function not<T>(spec: Specification<T>): Specification<T> {
  return specification({
    description: `not (${spec.description})`,
    test: (candidate) => !spec.isSatisfiedBy(candidate),
    sql: (sql) => `(NOT ${spec.toSql(sql)})`,
  });
}
