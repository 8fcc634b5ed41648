import { QueryService } from "@conveyor/proto/conveyor/query/v1/query_service_pb";
import {
  createAuthInterceptor,
  createLogger,
  defaultDatabaseLimits,
  startGrpcServer,
  type Logger,
  type ServiceConfig,
} from "@conveyor/runtime";
import { createKafka, topicsFor } from "@conveyor/messaging";
import { queryRoutes } from "./api/query-routes.ts";
import { startQueryServiceMetrics } from "./metrics/service-metrics.ts";
import { createExportService } from "./export/export-service.ts";
import { exportDatabaseLimitLabels, loadExportSettings } from "./export/export-settings.ts";
import { openReadPool } from "./infra/read-database.ts";
import { startProjector } from "./projection/projector.ts";

export interface RunningService {
  port: number;
  /** Where GET /metrics answers. */
  metricsPort: number;
  stop(): Promise<void>;
}

/** Starts query-service: the read database pool, the projector (a Kafka consumer group) and the gRPC server. */
export async function startQueryService(
  config: ServiceConfig,
  options: { logger?: Logger } = {},
): Promise<RunningService> {
  const logger = options.logger ?? createLogger("query-service");
  const pool = openReadPool(config.databaseUrl, logger, config.databaseLimits ?? defaultDatabaseLimits);
  const projector = await startProjector({
    pool,
    kafka: createKafka("conveyor-query-service", config.kafkaBrokers),
    topics: topicsFor(config.topicPrefix),
    groupId: `${config.topicPrefix}.query-service.projector`,
    logger: logger.child({ component: "projector" }),
  });
  const metrics = await startQueryServiceMetrics({
    host: config.host,
    port: config.metricsPort ?? 0,
    logger,
    projectorStats: () => projector.stats(),
  });
  const exportSettings = loadExportSettings();
  const exports = createExportService({
    databaseUrl: config.databaseUrl,
    settings: exportSettings,
    logger,
    metrics: metrics.exports,
  });
  const server = await startGrpcServer({
    host: config.host,
    port: config.port,
    routes: queryRoutes(exports.deps),
    services: [QueryService],
    logger,
    limits: config.limits,
    databaseLimits: exportDatabaseLimitLabels(exportSettings),
    interceptors: [metrics.rpcInterceptor, createAuthInterceptor(config.auth)],
  });
  logger.info({ port: server.port, host: config.host }, "listening");
  return {
    port: server.port,
    metricsPort: metrics.port,
    async stop() {
      await server.close();
      await metrics.close();
      await exports.close();
      await projector.stop();
      await pool.end();
    },
  };
}
