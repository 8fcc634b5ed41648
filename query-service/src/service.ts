import pg from "pg";
import { QueryService } from "@conveyor/proto/conveyor/query/v1/query_service_pb";
import {
  createAuthInterceptor,
  createLogger,
  startGrpcServer,
  type Logger,
  type ServiceConfig,
} from "@conveyor/runtime";
import { createKafka, topicsFor } from "@conveyor/messaging";
import { queryRoutes } from "./api/query-routes.ts";
import { startQueryServiceMetrics } from "./metrics/service-metrics.ts";
import { createExportService } from "./export/export-service.ts";
import { loadExportSettings } from "./export/export-settings.ts";
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
  const pool = new pg.Pool({
    connectionString: config.databaseUrl,
    max: 10,
    application_name: "conveyor-query-service",
  });
  // An idle client that loses its connection (e.g. a database restart) must not crash the process.
  pool.on("error", (error) => logger.warn({ err: error }, "idle read database connection failed"));
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
  const exports = createExportService({
    databaseUrl: config.databaseUrl,
    settings: loadExportSettings(),
    logger,
    metrics: metrics.exports,
  });
  const server = await startGrpcServer({
    host: config.host,
    port: config.port,
    routes: queryRoutes(exports.deps),
    services: [QueryService],
    logger,
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
