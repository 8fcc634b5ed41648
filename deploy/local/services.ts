import { startProcess, type ManagedProcess } from "./managed-process.ts";
import { repoRoot } from "./paths.ts";
import { FatalWaitError, waitFor } from "./wait-for.ts";

export interface RunningService {
  server: ManagedProcess;
  /** The port the service reported in its "listening" log line. */
  port: number;
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
  const server = startProcess({
    name: `${name}-service`,
    command: process.execPath,
    args: ["--import", "tsx", `${name}-service/src/main.ts`],
    cwd: repoRoot,
    env,
    onLine: (line) => {
      port ??= listeningPort(line);
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
    };
  } catch (error) {
    await server.stop();
    throw error;
  }
}

function listeningPort(line: string): number | undefined {
  try {
    const entry = JSON.parse(line) as { msg?: unknown; port?: unknown };
    return entry.msg === "listening" && typeof entry.port === "number" ? entry.port : undefined;
  } catch {
    return undefined;
  }
}
