/** The SQLSTATE and constraint of a PostgreSQL error, as TypeORM's QueryFailedError carries it. */
export function pgErrorOf(error: unknown): { code?: string; constraint?: string } {
  const wrapped = error as { driverError?: { code?: string; constraint?: string } };
  return wrapped.driverError ?? {};
}

export function isUniqueViolation(error: unknown, constraint: string): boolean {
  const { code, constraint: violated } = pgErrorOf(error);
  return code === "23505" && violated === constraint;
}

export function isForeignKeyViolation(error: unknown, constraint: string): boolean {
  const { code, constraint: violated } = pgErrorOf(error);
  return code === "23503" && violated === constraint;
}
