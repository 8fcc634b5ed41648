import { positive } from "./server-limits.ts";

type Env = Record<string, string | undefined>;

/**
 * PostgreSQL session timeouts of a service's pool (the write pool of command-service, the read pool of
 * query-service's projector). Export connections have their own, longer statement timeout.
 */
export interface DatabaseLimits {
  /** DB_STATEMENT_TIMEOUT_MS: one statement longer than this is cancelled (DEADLINE_EXCEEDED). */
  statementTimeoutMs: number;
  /** DB_LOCK_TIMEOUT_MS: waiting longer than this for a row or table lock fails (UNAVAILABLE). */
  lockTimeoutMs: number;
  /** DB_IDLE_IN_TRANSACTION_TIMEOUT_MS: a transaction idle this long has its session ended. */
  idleInTransactionTimeoutMs: number;
}

export const databaseLimitVars = {
  statementTimeoutMs: "DB_STATEMENT_TIMEOUT_MS",
  lockTimeoutMs: "DB_LOCK_TIMEOUT_MS",
  idleInTransactionTimeoutMs: "DB_IDLE_IN_TRANSACTION_TIMEOUT_MS",
} as const;

export const defaultDatabaseLimits: DatabaseLimits = {
  statementTimeoutMs: 60_000,
  lockTimeoutMs: 10_000,
  idleInTransactionTimeoutMs: 60_000,
};

/** Reads the pool timeouts from the environment; unset variables take `defaultDatabaseLimits`. */
export function loadDatabaseLimits(env: Env = process.env): DatabaseLimits {
  const d = defaultDatabaseLimits;
  const v = databaseLimitVars;
  return {
    statementTimeoutMs: positive(env, v.statementTimeoutMs, d.statementTimeoutMs),
    lockTimeoutMs: positive(env, v.lockTimeoutMs, d.lockTimeoutMs),
    idleInTransactionTimeoutMs: positive(env, v.idleInTransactionTimeoutMs, d.idleInTransactionTimeoutMs),
  };
}

/** The limits as node-postgres connection settings (sent in the startup message of every connection). */
export function postgresSessionSettings(limits: DatabaseLimits): {
  statement_timeout: number;
  lock_timeout: number;
  idle_in_transaction_session_timeout: number;
} {
  return {
    statement_timeout: limits.statementTimeoutMs,
    lock_timeout: limits.lockTimeoutMs,
    idle_in_transaction_session_timeout: limits.idleInTransactionTimeoutMs,
  };
}
