import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Session } from "node:inspector/promises";

/**
 * With a directory (BENCH_BATCH_CPU_PROF=DIR), `around(name, work)` writes a V8 CPU profile of `work`
 * to DIR/<name>.cpuprofile (open it in Chrome DevTools or speedscope); without one it just runs `work`.
 */
export function cpuProfiler(dir: string | undefined) {
  return async function around<T>(name: string, work: () => Promise<T>): Promise<T> {
    if (!dir) return work();
    const session = new Session();
    session.connect();
    await session.post("Profiler.enable");
    await session.post("Profiler.setSamplingInterval", { interval: 200 });
    await session.post("Profiler.start");
    try {
      return await work();
    } finally {
      const { profile } = await session.post("Profiler.stop");
      await writeFile(join(dir, `${name}.cpuprofile`), JSON.stringify(profile));
      session.disconnect();
    }
  };
}
