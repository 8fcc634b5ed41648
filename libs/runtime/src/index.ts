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
