/** The SQLSTATE and constraint of a PostgreSQL error (from pg, or wrapped in TypeORM's QueryFailedError). */
export function pgErrorOf(error: unknown): { code?: string; constraint?: string } {
  const candidate = error as {
    code?: string;
    constraint?: string;
    driverError?: { code?: string; constraint?: string };
  };
  return candidate.driverError ?? candidate;
}

export function isUniqueViolation(error: unknown, constraint: string): boolean {
  const { code, constraint: violated } = pgErrorOf(error);
  return code === "23505" && violated === constraint;
}

export function isForeignKeyViolation(error: unknown, constraint: string): boolean {
  const { code, constraint: violated } = pgErrorOf(error);
  return code === "23503" && violated === constraint;
}

/**
 * The database could not be reached or dropped the connection: the operation may succeed when
 * retried. SQLSTATE class 08 (connection exception) and 57P01-57P03 (shutdown, cannot connect now),
 * or a socket error of the driver.
 */
export function isConnectionFailure(error: unknown): boolean {
  const { code } = pgErrorOf(error);
  if (typeof code !== "string") return false;
  return (
    code.startsWith("08") ||
    ["57P01", "57P02", "57P03"].includes(code) ||
    /^E(CONN|PIPE|TIMEDOUT|HOSTUNREACH)/.test(code)
  );
}
