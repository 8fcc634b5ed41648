import { readFile } from "node:fs/promises";
import type { DataSource } from "typeorm";

// USER_HZ is 100 on every Linux that Node supports.
const msPerTick = 10;

/**
 * CPU time (user + system, ms) used so far by this process and by the PostgreSQL backends connected to
 * `db`'s database, read from /proc. On a machine shared with other work, CPU time shows what a run costs
 * better than wall time does. Backends that are not local processes count as 0.
 */
export async function cpuTimeMs(db: DataSource): Promise<{ process: number; backends: Map<number, number> }> {
  const { user, system } = process.cpuUsage();
  const rows = await db.query<Array<{ pid: number }>>(
    "SELECT pid FROM pg_stat_activity WHERE datname = current_database()",
  );
  const backends = new Map<number, number>();
  for (const { pid } of rows) backends.set(pid, await backendCpu(pid));
  return { process: (user + system) / 1000, backends };
}

/** CPU used between two readings; a backend that started in between counts from zero. */
export function cpuBetween(
  before: Awaited<ReturnType<typeof cpuTimeMs>>,
  after: Awaited<ReturnType<typeof cpuTimeMs>>,
): { process: number; database: number } {
  let database = 0;
  for (const [pid, ms] of after.backends) database += ms - (before.backends.get(pid) ?? 0);
  return { process: after.process - before.process, database };
}

async function backendCpu(pid: number): Promise<number> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, "utf8");
    // Fields after the ")" closing the command name: utime and stime are the 12th and 13th, in clock ticks.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) * msPerTick;
  } catch {
    return 0;
  }
}
