import { createHash } from "node:crypto";
import { ValidationError } from "@conveyor/errors";
import type { ExportKind } from "../entities/column.ts";
import { textLiteral } from "./sql-literal.ts";

/** A validated filter: a SQL predicate with literal values, and a digest that cursors are bound to. */
export interface ExportFilter {
  /** A boolean SQL expression over the export's table; "true" for no filter. */
  predicate: string;
  /** Equal for semantically equal filters (e.g. statuses in another order), else different. */
  digest: string;
}

/** Builds an ExportFilter from SQL conditions and the normalized filter values they came from. */
export function exportFilter(kind: ExportKind, conditions: string[], normalized: unknown): ExportFilter {
  const digest = createHash("sha256")
    .update(JSON.stringify([kind, normalized]))
    .digest("base64url")
    .slice(0, 16);
  return { predicate: conditions.length > 0 ? conditions.join(" AND ") : "true", digest };
}

/**
 * The read model's names of proto enum values (generated enums map numbers to names without the
 * prefix), distinct and sorted so the digest ignores order and duplicates. UNSPECIFIED or an unknown
 * number is a ValidationError naming the element.
 */
export function statusNames(
  values: readonly number[],
  names: Record<number, string>,
  field: string,
): string[] {
  const distinct = new Set<string>();
  values.forEach((value, index) => {
    const name = names[value];
    if (value === 0 || name === undefined)
      throw new ValidationError(`${field}[${index}]`, "is not a known status");
    distinct.add(name);
  });
  return [...distinct].sort();
}

/** `column IN ('A', 'B')` for a non-empty list, else nothing. */
export function inList(column: string, values: readonly string[], field: string): string[] {
  if (values.length === 0) return [];
  return [`${column} IN (${values.map((value) => textLiteral(value, field)).join(", ")})`];
}
