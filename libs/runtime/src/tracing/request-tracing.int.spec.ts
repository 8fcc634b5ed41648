import type { ConnectRouter } from "@connectrpc/connect";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { CommandService } from "@conveyor/proto/conveyor/command/v1/command_service_pb";
import { QueryService } from "@conveyor/proto/conveyor/query/v1/query_service_pb";
import { ValidationError } from "@conveyor/errors";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../logger.ts";
import { createMetricsRegistry } from "../metrics/metrics-registry.ts";
import { startMetricsServer, type MetricsServer } from "../metrics/metrics-server.ts";
import { createRpcMetricsInterceptor } from "../metrics/rpc-metrics-interceptor.ts";
import { startGrpcServer, type GrpcServer } from "../server/start-grpc-server.ts";
import { createLogCapture } from "../testing/log-capture.ts";
import { currentTraceparent, setBatchId } from "./request-context.ts";
import { parseTraceparent } from "./traceparent.ts";

const traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
const callerSpan = "00f067aa0ba902b7";
const traceparent = `00-${traceId}-${callerSpan}-01`;

const logs = createLogCapture();
const logger = createLogger("tracing-spec", {}, { level: "debug", destination: logs.destination });

// BulkUpdate answers with the traceparent its work would carry onward (after an await, as real work
// does); without a request id it fails with an unexpected error. ExportUsers streams it twice.
function routes(router: ConnectRouter): void {
  router
    .service(CommandService, {
      async bulkUpdate(request) {
        if (request.requestId === "") throw new Error("boom");
        if (request.requestId === "invalid") throw new ValidationError("request_id", "is invalid");
        setBatchId(request.requestId);
        await new Promise((resolve) => setImmediate(resolve));
        logger.info("bulk update handled");
        return { requestId: currentTraceparent() };
      },
    })
    .service(QueryService, {
      async *exportUsers() {
        for (const step of [1, 2]) {
          await new Promise((resolve) => setImmediate(resolve));
          logger.info({ step }, "export step");
          yield { progress: { cursor: currentTraceparent() } };
        }
      },
    });
}

let server: GrpcServer;
let metrics: MetricsServer;
const registry = createMetricsRegistry();
beforeAll(async () => {
  server = await startGrpcServer({
    host: "127.0.0.1",
    port: 0,
    routes,
    services: [CommandService, QueryService],
    logger,
    interceptors: [createRpcMetricsInterceptor(registry)],
  });
  metrics = await startMetricsServer({ host: "127.0.0.1", port: 0, registry, logger });
});
afterAll(async () => {
  await server.close();
  await metrics.close();
});

const transport = () => createGrpcTransport({ baseUrl: `http://127.0.0.1:${server.port}` });

describe("request tracing", () => {
  it("continues the caller's trace: onward traceparent, response header and log lines share its trace id", async () => {
    const headers: Headers[] = [];
    const response = await createClient(CommandService, transport()).bulkUpdate(
      { requestId: "bulk-7" },
      { headers: { traceparent, "x-request-id": "req-7" }, onHeader: (header) => headers.push(header) },
    );
    const onward = parseTraceparent(response.requestId);
    expect(onward?.traceId).toBe(traceId);
    expect(onward?.spanId).not.toBe(callerSpan); // the server's own span is the parent of what it causes
    expect(headers[0]?.get("traceresponse")).toBe(response.requestId);
    expect(headers[0]?.get("x-request-id")).toBe("req-7");
    const line = logs.lines().find((entry) => entry.msg === "bulk update handled");
    expect(line).toMatchObject({ traceId, spanId: onward!.spanId, requestId: "req-7", batchId: "bulk-7" });
  });

  it("starts a trace when the caller sends none, or a malformed one", async () => {
    const client = createClient(CommandService, transport());
    const fresh = await client.bulkUpdate({ requestId: "a" });
    const malformed = await client.bulkUpdate(
      { requestId: "b" },
      { headers: { traceparent: "00-zz-00f067aa0ba902b7-01" } },
    );
    const [first, second] = [parseTraceparent(fresh.requestId), parseTraceparent(malformed.requestId)];
    expect(first).toBeDefined();
    expect(second).toBeDefined();
    expect(first!.traceId).not.toBe(second!.traceId);
  });

  it("keeps the context across a server stream, and logs the error interceptor's line with the call's ids", async () => {
    const messages = [];
    for await (const message of createClient(QueryService, transport()).exportUsers(
      {},
      { headers: { traceparent } },
    ))
      messages.push(message);
    expect(messages.map((message) => parseTraceparent(message.progress?.cursor)?.traceId)).toEqual([
      traceId,
      traceId,
    ]);
    const steps = logs.lines().filter((entry) => entry.msg === "export step" && entry.traceId === traceId);
    expect(steps.map((entry) => entry.step)).toEqual([1, 2]);

    const failure = await createClient(CommandService, transport())
      .bulkUpdate({ requestId: "" }, { headers: { traceparent, "x-request-id": "req-boom" } })
      .catch((error: unknown) => ConnectError.from(error));
    expect(failure).toMatchObject({ code: Code.Internal });
    expect(failure instanceof ConnectError && failure.metadata.get("x-request-id")).toBe("req-boom");
    const logged = logs.lines().find((entry) => entry.msg === "handler failed");
    expect(logged).toMatchObject({ traceId, requestId: "req-boom" });
  });

  it("counts calls by service, method, type and code on GET /metrics, streams included", async () => {
    const client = createClient(CommandService, transport());
    await client.bulkUpdate({ requestId: "invalid" }).catch(() => undefined);
    const text = await (await fetch(`http://127.0.0.1:${metrics.port}/metrics`)).text();
    const series = (method: string, type: string, code: string) =>
      `grpc_server_handled_total{grpc_service="conveyor.${method}",grpc_type="${type}",grpc_code="${code}"}`;
    expect(text).toContain(series('command.v1.CommandService",grpc_method="BulkUpdate', "unary", "OK"));
    expect(text).toContain(
      series('command.v1.CommandService",grpc_method="BulkUpdate', "unary", "INVALID_ARGUMENT"),
    );
    expect(text).toContain(series('command.v1.CommandService",grpc_method="BulkUpdate', "unary", "INTERNAL"));
    expect(text).toContain(
      series('query.v1.QueryService",grpc_method="ExportUsers', "server_streaming", "OK"),
    );
    expect(text).toMatch(/grpc_server_handling_seconds_bucket\{le="[^"]+",grpc_service=/);
    expect(text).toContain("process_cpu_user_seconds_total");
    expect((await fetch(`http://127.0.0.1:${metrics.port}/other`)).status).toBe(404);
  });
});
