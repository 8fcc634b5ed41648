import { assertIdentifier, SqlParameters, sqlContext, type SqlContext } from "@conveyor/specification";
import type { BulkOperation } from "./bulk-operation.ts";

/** SQL text and its positional parameters. */
export interface Statement {
  text: string;
  values: unknown[];
}

/** Everything one statement renders from: the operation, its parameters, and the alias "t" of its table. */
export interface StatementScope<T, E, K extends keyof T> {
  operation: BulkOperation<T, E, K>;
  parameters: SqlParameters;
  sql: SqlContext<T>;
  /** The quoted table name. */
  table: string;
}

/** A fresh scope: an empty parameter list, columns qualified by "t". */
export function statementScope<T, E, K extends keyof T>(
  operation: BulkOperation<T, E, K>,
): StatementScope<T, E, K> {
  const parameters = new SqlParameters();
  return {
    operation,
    parameters,
    sql: sqlContext(operation.table.columns, parameters, "t"),
    table: `"${assertIdentifier(operation.table.name)}"`,
  };
}

/**
 * The CTE counting, among the rows the restriction selects (within `keyRange`, a predicate over t.id or
 * "TRUE"), those a precondition refuses and those already in the target state. What changes is the rest.
 */
export function countsCte<T, E, K extends keyof T>(scope: StatementScope<T, E, K>, keyRange: string): string {
  const { command } = scope.operation;
  const preconditions = command.preconditions.toSql(scope.sql);
  return `counts AS MATERIALIZED (
    SELECT count(*) AS matched,
      count(*) FILTER (WHERE NOT ${preconditions}) AS precondition_failed,
      count(*) FILTER (WHERE ${preconditions} AND ${command.alreadyApplied.toSql(scope.sql)}) AS unchanged
    FROM ${scope.table} t
    WHERE ${command.restriction.toSql(scope.sql)} AND ${keyRange}
  )`;
}

/** The number of rows that would change, from the counts CTE. */
export const wouldChangeSql = "(SELECT matched - precondition_failed - unchanged FROM counts)";
