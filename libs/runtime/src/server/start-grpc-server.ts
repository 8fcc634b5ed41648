import type { DescService } from "@bufbuild/protobuf";
import { Code, ConnectError, type ConnectRouter, type Interceptor } from "@connectrpc/connect";
import { connectNodeAdapter } from "@connectrpc/connect-node";
import { Health } from "@conveyor/proto/grpc/health/v1/health_pb";
import { createErrorInterceptor } from "../errors/error-interceptor.ts";
import { healthRoutes } from "../health/health-routes.ts";
import { createHealthStatus, type HealthStatus } from "../health/health-status.ts";
import type { Logger } from "../logger.ts";
import { createDescriptorIndex } from "../reflection/descriptor-index.ts";
import {
  reflectionRoutes,
  reflectionServices,
  reflectionTurnedOff,
} from "../reflection/reflection-routes.ts";
import { createTraceInterceptor } from "../tracing/trace-interceptor.ts";
import { createDeadlineInterceptor } from "../limits/deadline-interceptor.ts";
import { createDatabaseLimitInterceptor, type DatabaseLimitLabels } from "../limits/database-limit-error.ts";
import { defaultServerLimits, type ServerLimits } from "../limits/server-limits.ts";
import { createDualProtocolServer } from "./dual-protocol-server.ts";
import { tlsServerOptions } from "./tls-options.ts";

/** Largest request message accepted unless the limits say otherwise: 4 MiB, as in grpc-go and grpc-js. */
export const DEFAULT_READ_MAX_BYTES = defaultServerLimits.readMaxBytes;
const DEFAULT_SHUTDOWN_GRACE_MS = 5_000;

/** What `startGrpcServer` serves, and where. */
export interface GrpcServerOptions {
  /** Interface to listen on, e.g. "127.0.0.1" or "0.0.0.0". */
  host: string;
  /** 0 picks a free port; the running server reports the real one. */
  port: number;
  /** Registers the app's handlers, e.g. `(router) => router.service(QueryService, impl)`. */
  routes: (router: ConnectRouter) => void;
  /** The app's services: listed by reflection and reported SERVING by health. */
  services: DescService[];
  /** Receives handler failures that reach clients as INTERNAL. */
  logger: Logger;
  /** Message sizes, streams, deadlines, reflection and TLS; unset ones take `defaultServerLimits`. */
  limits?: Partial<ServerLimits>;
  /**
   * App interceptors (auth, metrics), run in order inside the error interceptor: errors they throw
   * go through `toConnectError` like handler errors.
   */
  interceptors?: Interceptor[];
  /** Names of the PostgreSQL timeouts of the handlers' connections: such timeouts become typed errors. */
  databaseLimits?: DatabaseLimitLabels;
  /** How long close() lets open connections drain before destroying them; 5 s unless set. */
  shutdownGraceMs?: number;
}

/** A running server. */
export interface GrpcServer {
  /** The port listened on (the free one picked when asked for 0). */
  port: number;
  /** The status served by grpc.health.v1.Health: "" and every app service start SERVING. */
  health: HealthStatus;
  /**
   * Marks everything NOT_SERVING, stops accepting, ends open streams (handlers see their context
   * signal abort with UNAVAILABLE) and waits up to `shutdownGraceMs` for connections to drain before
   * destroying them.
   */
  close(): Promise<void>;
}

/**
 * Serves `routes` plus grpc.health.v1.Health and gRPC server reflection (v1 and v1alpha) on one
 * port: gRPC over HTTP/2 cleartext with prior knowledge, and gRPC-Web and Connect over HTTP/1.1 or h2c
 * (or all of them over TLS when `limits.tls` is set). Errors thrown by handlers and app interceptors
 * go through `toConnectError`; every call is held to the limits (see docs/operations/limits.md).
 */
export async function startGrpcServer(options: GrpcServerOptions): Promise<GrpcServer> {
  const limits = { ...defaultServerLimits, ...options.limits };
  const health = createHealthStatus(["", ...options.services.map((service) => service.typeName)]);
  const shutdown = new AbortController();
  const server = createDualProtocolServer(
    connectNodeAdapter({
      routes: allRoutes(options, health, limits.reflection),
      readMaxBytes: limits.readMaxBytes,
      writeMaxBytes: limits.writeMaxBytes,
      interceptors: [
        // Outermost, so the error interceptor's log lines carry the call's ids too.
        createTraceInterceptor(),
        createErrorInterceptor(options.logger),
        createDeadlineInterceptor(limits),
        ...(options.databaseLimits ? [createDatabaseLimitInterceptor(options.databaseLimits)] : []),
        ...(options.interceptors ?? []),
      ],
      shutdownSignal: shutdown.signal,
    }),
    {
      maxConcurrentStreams: limits.maxConcurrentStreams,
      ...(limits.tls ? { tls: tlsServerOptions(limits.tls) } : {}),
    },
  );
  const port = await server.listen(options.host, options.port);
  let closed: Promise<void> | undefined;
  const close = async () => {
    health.shutdown();
    shutdown.abort(new ConnectError("the server is shutting down", Code.Unavailable));
    await server.close(options.shutdownGraceMs ?? DEFAULT_SHUTDOWN_GRACE_MS);
  };
  return { port, health, close: () => (closed ??= close()) };
}

function allRoutes(
  options: GrpcServerOptions,
  health: HealthStatus,
  reflection: boolean,
): (router: ConnectRouter) => void {
  const index = createDescriptorIndex([...options.services, Health, ...reflectionServices]);
  return (router) => {
    options.routes(router);
    healthRoutes(health)(router);
    (reflection ? reflectionRoutes(index) : reflectionTurnedOff)(router);
  };
}
