import { readFile } from "node:fs/promises";
import type { DataSource } from "typeorm";

/**
 * CPU time (user + system, ms) that the PostgreSQL backends serving `db`'s pooled connections (those
 * with its application name) have used so far, read from /proc: on a machine shared with other work it
 * shows the cost of statements better than wall time does. The pool must keep its connections open
 * (no idle timeout) between two readings. Undefined when the server is not a local process we can read.
 */
export async function backendCpuMs(db: DataSource, applicationName: string): Promise<number | undefined> {
  const rows = await db.query<Array<{ pid: number }>>(
    "SELECT pid FROM pg_stat_activity WHERE application_name = $1",
    [applicationName],
  );
  try {
    const times = await Promise.all(rows.map((row) => processCpuMs(row.pid)));
    return times.reduce((sum, ms) => sum + ms, 0);
  } catch {
    return undefined;
  }
}

async function processCpuMs(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, "utf8");
  // Fields after the ")" closing the command name: utime and stime are the 12th and 13th, in clock ticks.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) * (1000 / clockTicksPerSecond);
}

// USER_HZ is 100 on every Linux that Node supports.
const clockTicksPerSecond = 100;
