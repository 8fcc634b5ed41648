import type { ConnectRouter } from "@connectrpc/connect";
import { LimitExceeded, ValidationError } from "@conveyor/errors";
import { CommandService } from "@conveyor/proto/conveyor/command/v1/command_service_pb";
import { QueryService } from "@conveyor/proto/conveyor/query/v1/query_service_pb";
import { createLogger } from "../logger.ts";
import { type GrpcServer, type GrpcServerOptions, startGrpcServer } from "../server/start-grpc-server.ts";

/** The stub app the runtime specs serve: generated services with canned answers. */
export const stubServices = [QueryService, CommandService];

/** The one user every ExportUsers call streams. */
export const stubUser = {
  userId: "0190a1b2-0000-7000-8000-000000000001",
  email: "ada@example.com",
  firstName: "Ada",
};

/**
 * ExportUsers streams one chunk; ExportOrders throws ValidationError at once; ExportTasks throws
 * LimitExceeded after one chunk; BulkUpdate echoes its request id or throws ValidationError without one.
 */
export function stubRoutes(router: ConnectRouter): void {
  router
    .service(QueryService, {
      exportUsers: () =>
        oneChunk({ rows: [stubUser], progress: { cursor: "after-1", rowsSoFar: 1n, done: true } }),
      exportOrders() {
        throw new ValidationError("filter.customer_id", "must be a UUID");
      },
      async *exportTasks() {
        yield* oneChunk({ rows: [{ taskId: "t-1" }] });
        throw new LimitExceeded("export_rows", "the export is too large");
      },
    })
    .service(CommandService, {
      bulkUpdate(request) {
        if (!request.requestId) throw new ValidationError("request_id", "is required");
        return { requestId: request.requestId, matched: 3n, updated: 2n };
      },
    });
}

/** Starts the stub app on a free port of 127.0.0.1. */
export function startStubServer(options: Partial<GrpcServerOptions> = {}): Promise<GrpcServer> {
  return startGrpcServer({
    host: "127.0.0.1",
    port: 0,
    routes: stubRoutes,
    services: stubServices,
    logger: createLogger("runtime-spec", { LOG_LEVEL: process.env.LOG_LEVEL ?? "warn" }),
    ...options,
  });
}

async function* oneChunk<T>(chunk: T): AsyncGenerator<T> {
  yield await Promise.resolve(chunk);
}
