import { readFile } from "node:fs/promises";
import pg from "pg";

/** Clock ticks per second of /proc/<pid>/stat's times (USER_HZ, 100 on Linux). */
const TICKS = 100;

/** User plus system CPU seconds of a local process so far, or undefined once it is gone. */
export async function processCpuSeconds(pid: number): Promise<number | undefined> {
  const stat = await readFile(`/proc/${pid}/stat`, "utf8").catch(() => undefined);
  if (stat === undefined) return undefined;
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / TICKS;
}

/**
 * CPU of the PostgreSQL backends serving one application_name (the bench's database is on this machine):
 * `sample()` before and after a run, `since(before)` the CPU seconds they spent in between.
 */
export class BackendCpu {
  private constructor(
    private readonly client: pg.Client,
    private readonly applicationName: string,
  ) {}

  static async connect(url: string, applicationName: string): Promise<BackendCpu> {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    return new BackendCpu(client, applicationName);
  }

  async sample(): Promise<Map<number, number>> {
    const { rows } = await this.client.query<{ pid: number }>(
      "SELECT pid FROM pg_stat_activity WHERE application_name = $1",
      [this.applicationName],
    );
    const seconds = await Promise.all(rows.map(({ pid }) => processCpuSeconds(pid)));
    return new Map(rows.map(({ pid }, i) => [pid, seconds[i] ?? 0]));
  }

  async since(before: Map<number, number>): Promise<number> {
    let spent = 0;
    for (const [pid, seconds] of await this.sample()) spent += seconds - (before.get(pid) ?? 0);
    return spent;
  }

  close(): Promise<void> {
    return this.client.end();
  }
}
