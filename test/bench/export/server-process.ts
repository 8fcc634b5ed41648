import { type ChildProcess, spawn } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { createInterface } from "node:readline";
import { processCpuSeconds } from "./cpu-meter.ts";

export interface ServerProcess {
  port: number;
  /** Starts a new peak: the kernel's high-water mark of resident memory is reset (clear_refs 5). */
  resetPeak(): Promise<void>;
  /** Peak resident memory since the last reset, in bytes (VmHWM). */
  peakRss(): Promise<number>;
  /** The server's user plus system CPU seconds so far. */
  cpuSeconds(): Promise<number>;
  stop(): Promise<void>;
}

/**
 * Starts export-server.ts in a child process (tsx) against `databaseUrl`. With
 * EXPORT_BENCH_SERVER_PROFILE=<dir>, the server writes a V8 CPU profile (.cpuprofile) there when it stops.
 */
export async function startServerProcess(databaseUrl: string): Promise<ServerProcess> {
  const profileDir = process.env.EXPORT_BENCH_SERVER_PROFILE;
  const profile = profileDir ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`] : [];
  const child = spawn(
    process.execPath,
    [...profile, "--import", "tsx", new URL("./export-server.ts", import.meta.url).pathname],
    {
      env: {
        ...process.env,
        READ_DATABASE_URL: databaseUrl,
        EXPORT_CURSOR_KEY: "b".repeat(64),
        EXPORT_MAX_STREAMS: "32",
      },
      stdio: ["pipe", "pipe", "inherit"],
    },
  );
  const port = await firstPort(child);
  const status = `/proc/${child.pid}/status`;
  return {
    port,
    resetPeak: () => writeFile(`/proc/${child.pid}/clear_refs`, "5"),
    async peakRss() {
      const kb = /VmHWM:\s+(\d+) kB/.exec(await readFile(status, "utf8"))?.[1];
      return Number(kb) * 1024;
    },
    cpuSeconds: async () => (await processCpuSeconds(child.pid!)) ?? Number.NaN,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once("exit", () => resolve());
        child.stdin.end();
      }),
  };
}

function firstPort(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`the export server exited with ${code}`)));
    createInterface({ input: child.stdout! }).once("line", (line) =>
      resolve((JSON.parse(line) as { port: number }).port),
    );
  });
}
