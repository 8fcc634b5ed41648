import { startProcess, type ManagedProcess } from "./managed-process.ts";
import { repoRoot } from "./paths.ts";
import { FatalWaitError, waitFor } from "./wait-for.ts";

export interface RunningService {
  server: ManagedProcess;
  /** The port the service reported in its "listening" log line. */
  port: number;
  /** The port of its GET /metrics, from its "metrics listening" log line. */
  metricsPort: number | undefined;
}

/**
 * Runs `<name>-service/src/main.ts` with tsx (like `npx tsx`, minus the npx layer that would sit between
 * our signals and the service) and resolves once it logs {"msg":"listening","port":...}.
 */
export async function startService(
  name: "command" | "query",
  env: NodeJS.ProcessEnv,
  onLine: (line: string) => void,
): Promise<RunningService> {
  let port: number | undefined;
  let metricsPort: number | undefined;
  const server = startProcess({
    name: `${name}-service`,
    command: process.execPath,
    args: ["--import", "tsx", `${name}-service/src/main.ts`],
    cwd: repoRoot,
    env,
    onLine: (line) => {
      port ??= listeningPort(line, "listening", "port");
      metricsPort ??= listeningPort(line, "metrics listening", "metricsPort");
      onLine(line);
    },
  });
  const listening = async (): Promise<number | undefined> => {
    if (!server.isRunning())
      throw new FatalWaitError(`${server.name} ${await server.exited} before listening`);
    return port;
  };
  try {
    return {
      server,
      port: await waitFor(listening, { timeoutMs: 120_000, description: `${server.name} to listen` }),
      metricsPort,
    };
  } catch (error) {
    await server.stop();
    throw error;
  }
}

function listeningPort(line: string, message: string, field: string): number | undefined {
  try {
    const entry = JSON.parse(line) as Record<string, unknown>;
    return entry.msg === message && typeof entry[field] === "number" ? entry[field] : undefined;
  } catch {
    return undefined;
  }
}
