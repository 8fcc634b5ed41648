import type { BulkOperation } from "./bulk-operation.ts";

/**
 * Describes the change to one sampled row, e.g. `execution_date: null -> "2026-01-01T00:00:00.000Z"`,
 * from the current values (as PostgreSQL's JSON gives them) of the fields the command assigns.
 */
export function describeChange<T, E, K extends keyof T>(
  operation: BulkOperation<T, E, K>,
  current: Record<string, unknown>,
): string {
  const assignments = operation.command.assignments as Record<string, unknown>;
  return Object.entries(assignments)
    .map(([field, value]) => {
      const column = operation.table.columns[field as keyof T]!;
      const before =
        column.type === "timestamptz" && typeof current[field] === "string"
          ? new Date(current[field])
          : current[field];
      return `${column.name}: ${show(before)} -> ${show(value)}`;
    })
    .join(", ");
}

function show(value: unknown): string {
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  return JSON.stringify(value ?? null);
}
