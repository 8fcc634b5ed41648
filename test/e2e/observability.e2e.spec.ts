import * as grpc from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CommandService } from "@conveyor/proto/conveyor/command/v1/command_service_pb";
import { QueryService } from "@conveyor/proto/conveyor/query/v1/query_service_pb";
import { formatTraceparent, newSpanId, newTraceId, parseTraceparent } from "@conveyor/runtime";
import { collect, createGrpcJsClient } from "@conveyor/runtime/testing";
import { createUser, newId, updateUserEmail } from "../../command-service/src/api/testing/commands.ts";
import { waitForConsistency } from "../../query-service/src/projection/consistency.ts";
import { createLogCapture } from "../../libs/runtime/src/testing/log-capture.ts";
import pg from "pg";
import { waitForMessages } from "../harness/kafka.ts";
import { startStack, type Stack } from "../harness/stack.ts";
import { waitFor } from "../harness/wait-for.ts";

// Observability end to end: a caller's W3C trace context followed from the RPC through the outbox and
// Kafka to the projector, and both services' Prometheus endpoints scraped after some traffic.

const logs = createLogCapture();
let stack: Stack;
let commands: ReturnType<typeof createGrpcJsClient<typeof CommandService>>;
let queries: ReturnType<typeof createGrpcJsClient<typeof QueryService>>;
let read: pg.Pool;

beforeAll(async () => {
  stack = await startStack("observability", { logs: logs.destination });
  const address = (port: number) => `127.0.0.1:${port}`;
  commands = createGrpcJsClient(CommandService, address(stack.commandPort), undefined, stack.grpcJsOptions);
  queries = createGrpcJsClient(QueryService, address(stack.queryPort), undefined, stack.grpcJsOptions);
  read = new pg.Pool({ connectionString: stack.readDatabaseUrl, max: 2 });
});

afterAll(async () => {
  commands?.close();
  queries?.close();
  await read?.end();
  await stack?.stop();
});

function newTraceparent(): { traceId: string; metadata: grpc.Metadata } {
  const traceId = newTraceId();
  const metadata = new grpc.Metadata();
  metadata.set("traceparent", formatTraceparent({ traceId, spanId: newSpanId(), traceFlags: 1 }));
  return { traceId, metadata };
}

const projectorLine = (traceId: string) => () =>
  logs
    .lines()
    .find(
      (line) => line.component === "projector" && line.msg === "applied events" && line.traceId === traceId,
    );

describe("trace context", () => {
  it("follows a BatchExecute and a BulkUpdate from the RPC through Kafka headers to the projector", async () => {
    const userId = newId();
    const batchRequestId = newId();
    const batch = newTraceparent();
    const created = await commands.batchExecute(
      { requestId: batchRequestId, commands: [createUser(userId)] },
      batch.metadata,
    );
    expect(created.failedAggregates).toBe(0);
    const bulk = newTraceparent();
    const suspended = await commands.bulkUpdate(
      {
        requestId: `bulk-${newId()}`,
        filter: { node: { case: "always", value: true } },
        operation: { case: "suspendUsers", value: {} },
      },
      bulk.metadata,
    );
    expect(suspended.updated).toBe(1n);

    // The relay copied each outbox row's trace_context into the record's traceparent header.
    const messages = await waitForMessages([stack.topics.users], { count: 2, timeoutMs: 60_000 });
    const traceIds = messages
      .filter((message) => message.key === userId)
      .map((message) => parseTraceparent(message.headers.traceparent)?.traceId);
    expect(traceIds).toEqual([batch.traceId, bulk.traceId]);

    // The command service's lines for the batch carry its ids; the projector's carry each event's trace.
    const batchLine = logs.lines().find((line) => line.msg === "batch executed");
    expect(batchLine).toMatchObject({ traceId: batch.traceId, batchId: batchRequestId });
    expect(batchLine?.requestId).toEqual(expect.any(String));
    await waitFor(projectorLine(batch.traceId), {
      timeoutMs: 60_000,
      description: "the batch's projector line",
    });
    await waitFor(projectorLine(bulk.traceId), {
      timeoutMs: 60_000,
      description: "the bulk's projector line",
    });
  });
});

describe("metrics", () => {
  it("exposes RPC, batch, bulk, outbox, projector and export series on both services' /metrics", async () => {
    const userId = newId();
    const created = await commands.batchExecute({ requestId: newId(), commands: [createUser(userId)] });
    const conflicted = await commands.batchExecute({
      requestId: newId(),
      commands: [
        createUser(newId()),
        updateUserEmail(userId, `${newId()}@example.com`, { expectedVersion: 7n }),
      ],
    });
    expect(conflicted.failedAggregates).toBe(1);
    const refused = await commands.batchExecute({ requestId: "", commands: [] }).then(
      () => undefined,
      (error: grpc.ServiceError) => error.code,
    );
    expect(refused).toBe(grpc.status.INVALID_ARGUMENT);
    await waitForConsistency(read, created.consistencyToken, { timeoutMs: 60_000 });
    const exported = await collect(queries.exportUsers({}));
    expect(exported.flatMap((chunk) => chunk.rows).length).toBeGreaterThanOrEqual(2);

    const command = await scrape(stack.commandMetricsUrl);
    const rpc = { grpc_service: "conveyor.command.v1.CommandService", grpc_method: "BatchExecute" };
    expect(sample(command, "grpc_server_handled_total", { ...rpc, grpc_code: "OK" })).toBeGreaterThanOrEqual(
      2,
    );
    expect(sample(command, "grpc_server_handled_total", { ...rpc, grpc_code: "INVALID_ARGUMENT" })).toBe(1);
    expect(
      sample(command, "grpc_server_handling_seconds_count", { ...rpc, grpc_code: "OK" }),
    ).toBeGreaterThanOrEqual(2);
    expect(sample(command, "conveyor_batch_commands_count", {})).toBeGreaterThanOrEqual(2);
    expect(sample(command, "conveyor_batch_aggregates_total", { outcome: "conflicted" })).toBe(1);
    expect(
      sample(command, "conveyor_batch_aggregates_total", { outcome: "succeeded" }),
    ).toBeGreaterThanOrEqual(2);
    expect(sample(command, "conveyor_bulk_rows_updated_total", { operation: "suspendUsers" })).toBe(1);
    expect(sample(command, "conveyor_outbox_backlog_rows", {})).toBeGreaterThanOrEqual(0);
    expect(sample(command, "conveyor_outbox_oldest_age_seconds", {})).toBeGreaterThanOrEqual(0);
    expect(sample(command, "conveyor_relay_published_total", {})).toBeGreaterThanOrEqual(3);
    expect(sample(command, "conveyor_relay_leader", {})).toBe(1);
    expect(sample(command, "process_resident_memory_bytes", {})).toBeGreaterThan(0);

    // The projector counts a batch once its offsets are committed, just after the read model has it.
    const query = await waitFor(
      async () => {
        const text = await scrape(stack.queryMetricsUrl);
        return (sample(text, "conveyor_projector_events_applied_total", {}) ?? 0) >= 3 ? text : undefined;
      },
      { timeoutMs: 60_000, description: "the projector to count the events applied" },
    );
    const exports = { grpc_service: "conveyor.query.v1.QueryService", grpc_method: "ExportUsers" };
    expect(
      sample(query, "grpc_server_handled_total", {
        ...exports,
        grpc_type: "server_streaming",
        grpc_code: "OK",
      }),
    ).toBe(1);
    expect(
      sample(query, "conveyor_projector_consumer_lag", { topic: stack.topics.users }),
    ).toBeGreaterThanOrEqual(0);
    expect(sample(query, "conveyor_projector_events_applied_total", {})).toBeGreaterThanOrEqual(3);
    expect(sample(query, "conveyor_projector_events_dead_lettered_total", {})).toBe(0);
    const users = { table: "users", format: "rows", mode: "export" };
    expect(sample(query, "conveyor_export_rows_total", users)).toBe(
      exported.flatMap((chunk) => chunk.rows).length,
    );
    expect(sample(query, "conveyor_export_duration_seconds_count", { ...users, outcome: "completed" })).toBe(
      1,
    );
  });
});

async function scrape(url: string): Promise<string> {
  const response = await fetch(url);
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toContain("text/plain");
  return response.text();
}

/** The value of the first sample of `name` whose labels include `labels`; undefined when none. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  for (const line of text.split("\n")) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const found = new Map([...(match[2] ?? "").matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([key, value]) => found.get(key) === value)) return Number(match[3]);
  }
  return undefined;
}
