import { spawn } from "node:child_process";
import { createInterface } from "node:readline";

export interface ProcessSpec {
  /** Short name for logs and errors, e.g. "kafka". */
  name: string;
  command: string;
  args: string[];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Run as this user (PostgreSQL refuses to run as root). */
  user?: { uid: number; gid: number };
  /** Signal asking for a clean stop (default SIGTERM). */
  stopSignal?: NodeJS.Signals;
  /** How long a clean stop may take before SIGKILL (default 15 s). */
  stopTimeoutMs?: number;
  /** Receives each line the process prints on stdout or stderr. */
  onLine?: (line: string) => void;
}

/** A child process we own: its output is kept for error messages and it is stopped, never orphaned. */
export interface ManagedProcess {
  readonly name: string;
  /** The operating system's process id (undefined if it could not start), e.g. to SIGKILL it in a fault test. */
  readonly pid: number | undefined;
  /** Resolves once the process has ended, with how it ended ("exited with code 1", ...). */
  readonly exited: Promise<string>;
  isRunning(): boolean;
  /** The last lines the process printed. */
  recentOutput(): string;
  /** Sends the stop signal, then SIGKILL once the timeout passes; resolves when the process is gone. */
  stop(): Promise<void>;
}

const keptLines = 30;

/**
 * Starts a process in its own process group, so a Ctrl-C in the terminal reaches only our runner, which
 * then stops its children in order. If our process exits anyway, the child is killed with it.
 */
export function startProcess(spec: ProcessSpec): ManagedProcess {
  const child = spawn(spec.command, spec.args, {
    cwd: spec.cwd,
    env: spec.env,
    ...spec.user,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines: string[] = [];
  const onLine = (line: string): void => {
    lines.push(line);
    if (lines.length > keptLines) lines.shift();
    spec.onLine?.(line);
  };
  for (const stream of [child.stdout, child.stderr]) createInterface({ input: stream }).on("line", onLine);
  const killWithUs = (): void => void child.kill("SIGKILL");
  process.on("exit", killWithUs);
  let running = true;
  const exited = new Promise<string>((resolve) => {
    child.once("error", (error) => resolve(`could not start: ${error.message}`));
    child.once("close", (code, signal) =>
      resolve(signal ? `was killed by ${signal}` : `exited with code ${code}`),
    );
  }).finally(() => {
    running = false;
    process.off("exit", killWithUs);
  });
  return {
    name: spec.name,
    pid: child.pid,
    exited,
    isRunning: () => running,
    recentOutput: () => lines.join("\n"),
    async stop() {
      if (!running) return;
      child.kill(spec.stopSignal ?? "SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), spec.stopTimeoutMs ?? 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
