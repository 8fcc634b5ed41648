import { readFile } from "node:fs/promises";
import type { DataSource } from "typeorm";

/**
 * CPU time (user + system, ms) that the PostgreSQL backend serving `db`'s single pooled connection has
 * used so far, read from /proc: on a machine shared with other work it shows the cost of a statement
 * better than wall time does. Undefined when the server is not a local process we can read.
 */
export async function backendCpuMs(db: DataSource): Promise<number | undefined> {
  const [row] = await db.query<Array<{ pid: number }>>("SELECT pg_backend_pid() AS pid");
  try {
    const stat = await readFile(`/proc/${row!.pid}/stat`, "utf8");
    // Fields after the ")" closing the command name: utime and stime are the 12th and 13th, in clock ticks.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) * (1000 / clockTicksPerSecond);
  } catch {
    return undefined;
  }
}

// USER_HZ is 100 on every Linux that Node supports.
const clockTicksPerSecond = 100;
