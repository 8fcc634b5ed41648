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
