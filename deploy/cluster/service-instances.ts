import type { ManagedProcess } from "../local/managed-process.ts";
import { startService } from "../local/services.ts";

export type ServiceKind = "command" | "query";

export interface ServiceInstance {
  /** e.g. "query-2". */
  name: string;
  port: number;
  /** "127.0.0.1:<port>", for gRPC clients. */
  address: string;
  server: ManagedProcess;
  /** True once the instance logged an entry whose `msg` is `message`. */
  hasLogged(message: string): boolean;
}

/**
 * Starts `count` processes of one service with the same environment (so one write or read database and
 * one consumer group), each on a free port, and resolves once all listen.
 */
export async function startInstances(
  kind: ServiceKind,
  count: number,
  env: NodeJS.ProcessEnv,
  onLine: (instance: string, line: string) => void,
): Promise<ServiceInstance[]> {
  const names = Array.from({ length: count }, (_, i) => `${kind}-${i + 1}`);
  const started = await Promise.allSettled(names.map((name) => startInstance(kind, name, env, onLine)));
  const failed = started.find((result): result is PromiseRejectedResult => result.status === "rejected");
  const instances = started.flatMap((result) => (result.status === "fulfilled" ? [result.value] : []));
  if (failed) {
    await Promise.all(instances.map((instance) => instance.server.stop()));
    throw failed.reason;
  }
  return instances;
}

async function startInstance(
  kind: ServiceKind,
  name: string,
  env: NodeJS.ProcessEnv,
  onLine: (instance: string, line: string) => void,
): Promise<ServiceInstance> {
  const messages = new Set<string>();
  const portVariable = kind === "command" ? "COMMAND_SERVICE_PORT" : "QUERY_SERVICE_PORT";
  const { server, port } = await startService(
    kind,
    { ...env, [portVariable]: "0", METRICS_PORT: "0" },
    (line) => {
      const message = logMessage(line);
      if (message) messages.add(message);
      onLine(name, line);
    },
  );
  return {
    name,
    port,
    address: `127.0.0.1:${port}`,
    server,
    hasLogged: (message) => messages.has(message),
  };
}

function logMessage(line: string): string | undefined {
  try {
    const entry = JSON.parse(line) as { msg?: unknown };
    return typeof entry.msg === "string" ? entry.msg : undefined;
  } catch {
    return undefined;
  }
}
