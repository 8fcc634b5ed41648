import { CommandService } from "@conveyor/proto/conveyor/command/v1/command_service_pb";
import {
  createAuthInterceptor,
  createLogger,
  databaseLimitLabels,
  defaultDatabaseLimits,
  startGrpcServer,
  type Logger,
  type ServiceConfig,
} from "@conveyor/runtime";
import { createKafka, startOutboxRelay, topicsFor, type RelayStatsSnapshot } from "@conveyor/messaging";
import { commandRoutes } from "./api/command-routes.ts";
import { startCommandServiceMetrics } from "./metrics/service-metrics.ts";
import { openWriteDatabase } from "./infra/write-database.ts";
import { loadRelaySettings, type RelaySettings } from "./outbox/relay-settings.ts";

export interface RunningService {
  port: number;
  /** Where GET /metrics answers. */
  metricsPort: number;
  /** The outbox relay's leadership, throughput and backlog (for metrics). */
  relayStats(): RelayStatsSnapshot;
  stop(): Promise<void>;
}

/** Starts command-service: the write database pool, the outbox relay and the gRPC server. */
export async function startCommandService(
  config: ServiceConfig,
  options: { logger?: Logger; relay?: RelaySettings } = {},
): Promise<RunningService> {
  const logger = options.logger ?? createLogger("command-service");
  const relaySettings = options.relay ?? loadRelaySettings();
  const databaseLimits = config.databaseLimits ?? defaultDatabaseLimits;
  const dataSource = await openWriteDatabase(config.databaseUrl, 10, databaseLimits);
  const relay = startOutboxRelay({
    databaseUrl: config.databaseUrl,
    kafka: createKafka("conveyor-command-service", config.kafkaBrokers),
    topics: topicsFor(config.topicPrefix),
    logger: logger.child({ component: "outbox-relay" }),
    ...relaySettings,
  });
  const metrics = await startCommandServiceMetrics({
    host: config.host,
    port: config.metricsPort ?? 0,
    logger,
    dataSource,
    relayStats: () => relay.stats(),
  });
  const server = await startGrpcServer({
    host: config.host,
    port: config.port,
    routes: commandRoutes({ dataSource, logger, metrics: metrics.command }),
    services: [CommandService],
    logger,
    limits: config.limits,
    databaseLimits: databaseLimitLabels(databaseLimits),
    interceptors: [metrics.rpcInterceptor, createAuthInterceptor(config.auth)],
  });
  logger.info({ port: server.port, host: config.host }, "listening");
  return {
    port: server.port,
    metricsPort: metrics.port,
    relayStats: () => relay.stats(),
    async stop() {
      await server.close();
      await metrics.close();
      await relay.stop();
      await dataSource.destroy();
    },
  };
}
