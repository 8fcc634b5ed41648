import { readdir, readFile } from "node:fs/promises";

// Linux reports process CPU time in clock ticks; 100 per second on every common kernel configuration.
const ticksPerSecond = 100;

/** CPU time (user + system) a process has used so far, in ms; 0 once it is gone. */
export async function processCpuMs(pid: number): Promise<number> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, "utf8");
    // Fields after the parenthesised command name: state is field 3, utime 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond;
  } catch {
    return 0;
  }
}

/**
 * CPU time used so far by the PostgreSQL backends connected to `database` (one process per connection),
 * leaving out the processes in `except` (e.g. the benchmark's own connections).
 */
export async function databaseBackendsCpuMs(database: string, except: number[] = []): Promise<number> {
  let total = 0;
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry) || except.includes(Number(entry))) continue;
    const cmdline = await readFile(`/proc/${entry}/cmdline`, "utf8").catch(() => "");
    if (cmdline.startsWith("postgres: ") && cmdline.split(" ").includes(database))
      total += await processCpuMs(Number(entry));
  }
  return total;
}
