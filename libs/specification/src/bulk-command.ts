import { InvariantViolation } from "@conveyor/errors";
import { fieldEquals, fieldIsNull, type Comparable } from "./field-specifications.ts";
import type { SqlContext } from "./sql-context.ts";
import { and, not, type Specification } from "./specification.ts";

/** The fields a command sets and their new values; null clears a (nullable) field. */
export type Assignments<T> = { readonly [K in keyof T]?: T[K] & (Comparable | null) };

/** What a bulk command does to one aggregate. */
export type Outcome = "unmatched" | "precondition-failed" | "unchanged" | "changed";

/** The result of applying a command to one aggregate in memory. */
export type Execution<T, E> = { changed: true; state: T; event: E } | { changed: false; state: T };

/** An aggregate state as far as a command's event reads it, with the event it gets. */
export interface EventVariant<T, E, K extends keyof T> {
  before: Pick<T, K>;
  event: E;
}

/** How to define a bulk command; see `bulkCommand`. */
export interface BulkCommandDefinition<T, E, K extends keyof T = never> {
  /** e.g. "SetTaskExecutionDate". */
  readonly name: string;
  /** Must hold for an aggregate to change. Baked in: callers can add restrictions, never drop these. */
  readonly preconditions: readonly Specification<T>[];
  /** Fields and new values: both the in-memory change and the SQL SET clause. */
  readonly assignments: Assignments<T>;
  /** The event of one changed aggregate; it may read only the fields `eventVariesWith` lists. */
  event(before: Pick<T, K>): E;
  /** Every value each field that `event` reads can hold, so SQL can pick an event by them (at most 64 combinations). */
  readonly eventVariesWith: { readonly [P in K]: readonly T[P][] };
}

/**
 * The Command pattern for bulk work: one definition of what changes and under which preconditions,
 * applied either to one aggregate in memory or to every selected row in SQL.
 */
export interface BulkCommand<T, E, K extends keyof T = never> {
  readonly name: string;
  /** The baked-in preconditions, combined. */
  readonly preconditions: Specification<T>;
  /** The caller's extra restrictions, combined (`always` when none). */
  readonly restriction: Specification<T>;
  readonly assignments: Assignments<T>;
  /** Satisfied when every assigned field already holds its new value: applying would change nothing. */
  readonly alreadyApplied: Specification<T>;
  /** Exactly the aggregates the command changes: restriction, preconditions, and not already applied. */
  readonly selection: Specification<T>;
  /** The fields the event reads. */
  readonly eventFields: readonly K[];
  classify(candidate: T): Outcome;
  /** Applies the command in memory; throws InvariantViolation naming the failed restriction or precondition. */
  execute(candidate: T): Execution<T, E>;
  /** The assignments as a SQL SET list, e.g. `"execution_date" = $4::timestamptz`. */
  setClause(sql: SqlContext<T>): string;
  /** One event per combination of the values the event reads. */
  eventVariants(): EventVariant<T, E, K>[];
}

const maxEventVariants = 64;

/** Builds a bulk command from its definition and the caller's extra restrictions. */
export function bulkCommand<T, E, K extends keyof T = never>(
  definition: BulkCommandDefinition<T, E, K>,
  restrictions: readonly Specification<T>[] = [],
): BulkCommand<T, E, K> {
  const fields = Object.keys(definition.assignments) as Array<keyof T & string>;
  if (fields.length === 0) throw new Error(`${definition.name} assigns nothing`);
  const preconditions = and(...definition.preconditions);
  const restriction = and(...restrictions);
  const alreadyApplied = and(...fields.map((field) => holds(field, definition.assignments[field])));
  const selection = and(restriction, preconditions, not(alreadyApplied));
  const eventFields = Object.keys(definition.eventVariesWith) as K[];
  const variants = combinations(definition.eventVariesWith, eventFields).map((before) => ({
    before,
    event: definition.event(before),
  }));
  if (variants.length > maxEventVariants)
    throw new Error(`${definition.name} has more than ${maxEventVariants} event variants`);

  const classify = (candidate: T): Outcome => {
    if (!restriction.isSatisfiedBy(candidate)) return "unmatched";
    if (!preconditions.isSatisfiedBy(candidate)) return "precondition-failed";
    return alreadyApplied.isSatisfiedBy(candidate) ? "unchanged" : "changed";
  };
  return {
    name: definition.name,
    preconditions,
    restriction,
    assignments: definition.assignments,
    alreadyApplied,
    selection,
    eventFields,
    classify,
    execute(candidate) {
      const outcome = classify(candidate);
      if (outcome === "unmatched") throw refusal(definition.name, restrictions, candidate);
      if (outcome === "precondition-failed")
        throw refusal(definition.name, definition.preconditions, candidate);
      if (outcome === "unchanged") return { changed: false, state: candidate };
      return {
        changed: true,
        state: { ...candidate, ...definition.assignments },
        event: definition.event(candidate),
      };
    },
    setClause: (sql) =>
      fields
        .map(
          (field) => `"${sql.columnOf(field).name}" = ${assigned(sql, field, definition.assignments[field])}`,
        )
        .join(", "),
    eventVariants: () => variants,
  };
}

function holds<T>(field: keyof T & string, value: Comparable | null | undefined): Specification<T> {
  if (value === null || value === undefined) return fieldIsNull<T>(field);
  return fieldEquals<T, keyof T & string>(field, value as T[keyof T & string] & Comparable);
}

function assigned<T>(
  sql: SqlContext<T>,
  field: keyof T & string,
  value: Comparable | null | undefined,
): string {
  if (value === null || value === undefined) return "NULL";
  return sql.value(field, value);
}

function refusal<T>(name: string, specs: readonly Specification<T>[], candidate: T): InvariantViolation {
  const failed = specs.find((spec) => !spec.isSatisfiedBy(candidate));
  const id = (candidate as { id?: unknown }).id;
  const subject = typeof id === "string" ? ` to ${id}` : "";
  return new InvariantViolation(
    `cannot apply ${name}${subject}: it requires ${failed?.description ?? "more"}`,
  );
}

function combinations<T, K extends keyof T>(
  values: { readonly [P in K]: readonly T[P][] },
  fields: readonly K[],
): Pick<T, K>[] {
  return fields.reduce<Pick<T, K>[]>(
    (partials, field) =>
      partials.flatMap((partial) => values[field].map((value) => ({ ...partial, [field]: value }))),
    [{} as Pick<T, K>],
  );
}
