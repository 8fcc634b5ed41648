import {
  createMetricsRegistry,
  createRpcMetricsInterceptor,
  startMetricsServer,
  type Interceptor,
  type Logger,
} from "@conveyor/runtime";
import { createExportMetrics, type ExportMetrics } from "../export/export-metrics.ts";
import type { ProjectorStatsSnapshot } from "../projection/projector-stats.ts";
import { registerProjectorMetrics } from "./projector-metrics.ts";

/** query-service's metrics, served on their own HTTP port. */
export interface QueryServiceMetrics {
  port: number;
  /** Put first among the server's interceptors, so calls refused by later ones are counted too. */
  rpcInterceptor: Interceptor;
  exports: ExportMetrics;
  close(): Promise<void>;
}

/** Registers every query-service metric and serves them on http://host:port/metrics (0: a free port). */
export async function startQueryServiceMetrics(options: {
  host: string;
  port: number;
  logger: Logger;
  projectorStats: () => ProjectorStatsSnapshot;
}): Promise<QueryServiceMetrics> {
  const registry = createMetricsRegistry();
  const rpcInterceptor = createRpcMetricsInterceptor(registry);
  const exports = createExportMetrics(registry);
  registerProjectorMetrics(registry, options.projectorStats);
  const { host, port, logger } = options;
  const server = await startMetricsServer({ host, port, registry, logger });
  return { port: server.port, rpcInterceptor, exports, close: () => server.close() };
}
