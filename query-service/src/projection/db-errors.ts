// SQLSTATE classes and codes that say "try again later", not "this event is bad": connection exceptions,
// operator intervention (shutdown, crash recovery), insufficient resources, serialization failure, deadlock.
const retriableClasses = ["08", "57", "53"];
const retriableCodes = new Set(["40001", "40P01", "55P03"]);

/** The read database could not be reached at all (any reason: down, restarting, refusing connections). */
export class DatabaseUnreachable extends Error {}

/** True when a database error is about the database's availability or a conflict, not about the data. */
export function isRetriableDatabaseError(error: unknown): boolean {
  if (error instanceof DatabaseUnreachable) return true;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== "string") return true; // socket errors, "Connection terminated", timeouts
  if (code.length !== 5) return true; // ECONNREFUSED, ECONNRESET, ...
  return retriableCodes.has(code) || retriableClasses.some((prefix) => code.startsWith(prefix));
}
