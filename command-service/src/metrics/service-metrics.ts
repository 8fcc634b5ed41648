import type { PoolClient } from "pg";
import type { DataSource } from "typeorm";
import { readOutboxBacklog, type RelayStatsSnapshot } from "@conveyor/messaging";
import {
  createMetricsRegistry,
  createRpcMetricsInterceptor,
  startMetricsServer,
  type Interceptor,
  type Logger,
} from "@conveyor/runtime";
import { createCommandMetrics, type CommandMetrics } from "./command-metrics.ts";
import { registerOutboxMetrics } from "./outbox-metrics.ts";

/** command-service's metrics, served on their own HTTP port. */
export interface CommandServiceMetrics {
  port: number;
  /** Put first among the server's interceptors, so calls refused by later ones are counted too. */
  rpcInterceptor: Interceptor;
  command: CommandMetrics;
  close(): Promise<void>;
}

/** Registers every command-service metric and serves them on http://host:port/metrics (0: a free port). */
export async function startCommandServiceMetrics(options: {
  host: string;
  port: number;
  logger: Logger;
  dataSource: DataSource;
  relayStats: () => RelayStatsSnapshot;
}): Promise<CommandServiceMetrics> {
  const registry = createMetricsRegistry();
  const rpcInterceptor = createRpcMetricsInterceptor(registry);
  const command = createCommandMetrics(registry);
  registerOutboxMetrics(registry, {
    relayStats: options.relayStats,
    readBacklog: () => readBacklog(options.dataSource),
  });
  const { host, port, logger } = options;
  const server = await startMetricsServer({ host, port, registry, logger });
  return { port: server.port, rpcInterceptor, command, close: () => server.close() };
}

async function readBacklog(dataSource: DataSource) {
  const runner = dataSource.createQueryRunner();
  try {
    return await readOutboxBacklog((await runner.connect()) as PoolClient);
  } finally {
    await runner.release();
  }
}
