import pg from "pg";
import { withClient } from "../../../deploy/local/postgres.ts";

/** Server processes of one database's sessions with `applicationName` that wait for a lock. */
export async function lockWaiters(url: string, applicationName: string): Promise<number[]> {
  return withClient(url, async (db) => {
    const { rows } = await db.query<{ pid: number }>(
      `SELECT pid FROM pg_stat_activity
       WHERE datname = current_database() AND application_name = $1 AND wait_event_type = 'Lock'`,
      [applicationName],
    );
    return rows.map((row) => row.pid);
  });
}

/**
 * Ends server sessions whose client process was SIGKILLed while they waited for a lock: PostgreSQL
 * notices a vanished client only when it next reads from or writes to it, so such a session would
 * otherwise run its statement once the lock is granted. Resolves once they are gone.
 */
export async function endSessions(url: string, pids: number[]): Promise<void> {
  await withClient(url, async (db) => {
    await db.query("SELECT pg_terminate_backend(pid) FROM unnest($1::int[]) AS pid", [pids]);
    for (;;) {
      const { rows } = await db.query("SELECT 1 FROM pg_stat_activity WHERE pid = ANY($1::int[])", [pids]);
      if (rows.length === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  });
}

/** A transaction of the test's own that holds `sql`'s locks until release(). */
export async function holdLocks(
  url: string,
  sql: string,
): Promise<{ rows: number; release(): Promise<void> }> {
  const db = new pg.Client({ connectionString: url, application_name: "fault-test-lock" });
  await db.connect();
  await db.query("BEGIN");
  const { rowCount } = await db.query(sql);
  return {
    rows: rowCount ?? 0,
    async release() {
      await db.query("ROLLBACK");
      await db.end();
    },
  };
}

/** Sessions of one database with `applicationName`, by state ("active", "idle", "idle in transaction", ...). */
export async function sessionStates(url: string, applicationName: string): Promise<Record<string, number>> {
  return withClient(url, async (db) => {
    const { rows } = await db.query<{ state: string | null; sessions: number }>(
      `SELECT state, count(*)::int AS sessions FROM pg_stat_activity
       WHERE datname = current_database() AND application_name = $1 GROUP BY state`,
      [applicationName],
    );
    return Object.fromEntries(rows.map((row) => [row.state ?? "unknown", row.sessions]));
  });
}
