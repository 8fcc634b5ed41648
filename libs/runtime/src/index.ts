export { loadServiceConfig, integer, type ServiceConfig } from "./config.ts";
export * from "./auth/index.ts";
export { createLogger, type Logger } from "./logger.ts";
export { toConnectError, FIELD_METADATA_KEY } from "./errors/to-connect-error.ts";
export { createErrorInterceptor } from "./errors/error-interceptor.ts";
export { createHealthStatus, ServingStatus, type HealthStatus } from "./health/health-status.ts";
export {
  startGrpcServer,
  DEFAULT_READ_MAX_BYTES,
  type GrpcServer,
  type GrpcServerOptions,
} from "./server/start-grpc-server.ts";
export type { Interceptor } from "@connectrpc/connect";
export { type LoggerOptions } from "./logger.ts";
export {
  parseTraceparent,
  formatTraceparent,
  newTraceId,
  newSpanId,
  type TraceContext,
} from "./tracing/traceparent.ts";
export {
  runInContext,
  currentContext,
  currentTraceparent,
  setBatchId,
  type RequestContext,
} from "./tracing/request-context.ts";
export { startSpan, isTracingRegistered, type StartedSpan } from "./tracing/spans.ts";
export { SpanKind } from "@opentelemetry/api";
export { TRACE_RESPONSE_HEADER, REQUEST_ID_HEADER } from "./tracing/trace-interceptor.ts";
export { createMetricsRegistry } from "./metrics/metrics-registry.ts";
export { startMetricsServer, type MetricsServer } from "./metrics/metrics-server.ts";
export { createRpcMetricsInterceptor } from "./metrics/rpc-metrics-interceptor.ts";
export { observedGauge, observedGaugeByLabels, observedCounter } from "./metrics/observed-metrics.ts";
export { Counter, Gauge, Histogram, type Registry } from "prom-client";
export {
  loadServerLimits,
  defaultServerLimits,
  serverLimitVars,
  type ServerLimits,
  type TlsFiles,
} from "./limits/server-limits.ts";
export {
  loadDatabaseLimits,
  defaultDatabaseLimits,
  databaseLimitVars,
  postgresSessionSettings,
  type DatabaseLimits,
} from "./limits/database-limits.ts";
export {
  databaseLimitError,
  databaseLimitLabels,
  createDatabaseLimitInterceptor,
  type DatabaseLimitLabels,
} from "./limits/database-limit-error.ts";
