import type { Interceptor } from "@connectrpc/connect";
import { type ConveyorError, InfrastructureError, TimeLimitExceeded } from "@conveyor/errors";
import { createErrorTranslatingInterceptor } from "../errors/error-translating-interceptor.ts";
import { type DatabaseLimits, databaseLimitVars } from "./database-limits.ts";

/** How each PostgreSQL timeout of a service's RPC connections is named in errors, e.g. "DB_LOCK_TIMEOUT_MS=10000". */
export interface DatabaseLimitLabels {
  statementTimeout: string;
  lockTimeout: string;
  idleInTransactionTimeout: string;
}

/** Labels for a pool configured from `DatabaseLimits` (the DB_* variables). */
export function databaseLimitLabels(limits: DatabaseLimits): DatabaseLimitLabels {
  const v = databaseLimitVars;
  return {
    statementTimeout: `${v.statementTimeoutMs}=${limits.statementTimeoutMs}`,
    lockTimeout: `${v.lockTimeoutMs}=${limits.lockTimeoutMs}`,
    idleInTransactionTimeout: `${v.idleInTransactionTimeoutMs}=${limits.idleInTransactionTimeoutMs}`,
  };
}

/**
 * The typed error for a PostgreSQL timeout found in `error` or its causes (TypeORM's `driverError`,
 * `cause`): statement timeout -> TimeLimitExceeded (DEADLINE_EXCEEDED); lock timeout and
 * idle-in-transaction timeout -> retriable InfrastructureError (UNAVAILABLE). Undefined otherwise.
 */
export function databaseLimitError(error: unknown, labels: DatabaseLimitLabels): ConveyorError | undefined {
  const found = postgresError(error);
  if (!found) return undefined;
  const { code, message } = found;
  if (code === "57014" && message.includes("statement timeout"))
    return new TimeLimitExceeded(
      labels.statementTimeout,
      "a database statement ran past the statement timeout",
      {
        cause: error,
      },
    );
  if (code === "55P03" && message.includes("lock timeout"))
    return new InfrastructureError(
      `waited too long for a database lock; retry (limit: ${labels.lockTimeout})`,
      true,
      { cause: error },
    );
  if (code === "25P03")
    return new InfrastructureError(
      `a database transaction stayed idle too long and was ended; retry (limit: ${labels.idleInTransactionTimeout})`,
      true,
      { cause: error },
    );
  return undefined;
}

/**
 * A server interceptor that turns PostgreSQL timeouts thrown by handlers (unary, or while streaming)
 * into the typed errors of `databaseLimitError`; the error interceptor outside it maps them to codes.
 */
export function createDatabaseLimitInterceptor(labels: DatabaseLimitLabels): Interceptor {
  return createErrorTranslatingInterceptor((err) => databaseLimitError(err, labels) ?? err);
}

function postgresError(error: unknown, depth = 0): { code: string; message: string } | undefined {
  if (typeof error !== "object" || error === null || depth > 5) return undefined;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof code === "string" && code.length === 5 && typeof message === "string") return { code, message };
  const { driverError, cause } = error as { driverError?: unknown; cause?: unknown };
  return postgresError(driverError, depth + 1) ?? postgresError(cause, depth + 1);
}
