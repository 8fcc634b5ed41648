import http2 from "node:http2";
import { TimeLimitExceeded } from "@conveyor/errors";
import { CommandService } from "@conveyor/proto/conveyor/command/v1/command_service_pb";
import { QueryService } from "@conveyor/proto/conveyor/query/v1/query_service_pb";
import { Health } from "@conveyor/proto/grpc/health/v1/health_pb";
import * as v1 from "@conveyor/proto/grpc/reflection/v1/reflection_pb";
import * as v1alpha from "@conveyor/proto/grpc/reflection/v1alpha/reflection_pb";
import * as grpc from "@grpc/grpc-js";
import { afterEach, describe, expect, it } from "vitest";
import { waitFor } from "../../../../test/harness/wait-for.ts";
import { ServingStatus } from "../health/health-status.ts";
import type { GrpcServer } from "../server/start-grpc-server.ts";
import { collect, createGrpcJsClient } from "../testing/grpc-js-client.ts";
import { startStubServer } from "../testing/stub-app.ts";
import { type LimitsAppProbe, limitsAppRoutes } from "../testing/limits-app.ts";
import type { ServerLimits } from "./server-limits.ts";

const opened: Array<{ close(): unknown }> = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((it) => it.close()));
});

async function start(limits: Partial<ServerLimits>): Promise<{ server: GrpcServer; probe: LimitsAppProbe }> {
  const probe: LimitsAppProbe = { running: 0, mostRunning: 0, abortReasons: [] };
  const server = await startStubServer({ routes: limitsAppRoutes(probe), limits });
  opened.push(server);
  return { server, probe };
}

function clients(server: GrpcServer) {
  const address = `127.0.0.1:${server.port}`;
  const commands = createGrpcJsClient(CommandService, address);
  const queries = createGrpcJsClient(QueryService, address);
  opened.push(commands, queries);
  return { commands, queries };
}

const failure = (call: Promise<unknown>) =>
  call.then(
    () => undefined,
    (err: grpc.ServiceError) => err,
  );

/** Reads an ExportTasks stream, keeping the task ids that arrived before it failed. */
async function readTasks(stream: AsyncIterable<{ rows: Array<{ taskId: string }> }>) {
  const ids: string[] = [];
  const error = await failure(
    (async () => {
      for await (const chunk of stream) ids.push(...chunk.rows.map((row) => row.taskId));
    })(),
  );
  return { ids, error };
}

describe("message size limits", () => {
  it("refuses a response over WRITE_MAX_BYTES with RESOURCE_EXHAUSTED naming the limit, unary and streaming", async () => {
    const { server } = await start({ writeMaxBytes: 1024 });
    const { commands, queries } = clients(server);
    expect(await commands.bulkUpdate({ requestId: "big:900" })).toMatchObject({ requestId: "x".repeat(900) });
    const unary = await failure(commands.bulkUpdate({ requestId: "big:2000" }));
    expect(unary?.code).toBe(grpc.status.RESOURCE_EXHAUSTED);
    expect(unary?.details).toMatch(/writeMaxBytes 1024/);
    const streamed = await readTasks(queries.exportTasks({ filter: { category: "big:2000" } }));
    expect(streamed.ids).toEqual(["first"]);
    expect(streamed.error?.code).toBe(grpc.status.RESOURCE_EXHAUSTED);
    expect(streamed.error?.details).toMatch(/writeMaxBytes 1024/);
  });

  it("refuses a server-stream request over READ_MAX_BYTES with RESOURCE_EXHAUSTED naming the limit", async () => {
    const { server } = await start({ readMaxBytes: 1024 });
    const { queries } = clients(server);
    const refused = await readTasks(queries.exportTasks({ filter: { category: "y".repeat(2000) } }));
    expect(refused.ids).toEqual([]);
    expect(refused.error?.code).toBe(grpc.status.RESOURCE_EXHAUSTED);
    expect(refused.error?.details).toMatch(/readMaxBytes 1024/);
  });
});

describe("MAX_CONCURRENT_STREAMS", () => {
  it("is announced in the HTTP/2 SETTINGS of every connection", async () => {
    const { server } = await start({ maxConcurrentStreams: 7 });
    const session = http2.connect(`http://127.0.0.1:${server.port}`);
    const settings = await new Promise<http2.Settings>((resolve, reject) =>
      session.once("remoteSettings", resolve).once("error", reject),
    );
    session.close();
    expect(settings.maxConcurrentStreams).toBe(7);
  });

  it("keeps a grpc-js client's third call waiting until one of two open streams ends", async () => {
    const { server, probe } = await start({ maxConcurrentStreams: 2 });
    const { commands, queries } = clients(server);
    const [first, second] = [1, 2].map(() => queries.exportTasks({ filter: { category: "hang" } }));
    const reads = [first!, second!].map(readTasks);
    await waitFor(() => probe.running === 2, { description: "two streams running" });
    const third = commands.bulkUpdate({ requestId: "third" });
    first!.cancel();
    expect(await third).toMatchObject({ requestId: "third" });
    expect(probe.mostRunning).toBe(2);
    second!.cancel();
    expect((await Promise.all(reads)).map((read) => read.error?.code)).toEqual([
      grpc.status.CANCELLED,
      grpc.status.CANCELLED,
    ]);
  });
});

describe("maximum deadlines", () => {
  it("gives a unary call without a deadline MAX_UNARY_DEADLINE_MS, aborting the handler's signal", async () => {
    const { server, probe } = await start({ maxUnaryDeadlineMs: 300 });
    const { commands } = clients(server);
    const error = await failure(commands.bulkUpdate({ requestId: "hang" }));
    expect(error?.code).toBe(grpc.status.DEADLINE_EXCEEDED);
    expect(decodeURIComponent(error?.details ?? "")).toContain("MAX_UNARY_DEADLINE_MS=300");
    expect(probe.abortReasons).toHaveLength(1);
    expect(probe.abortReasons[0]).toBeInstanceOf(TimeLimitExceeded);
  });

  it("cuts a longer client deadline down to MAX_UNARY_DEADLINE_MS, even for a handler that ignores its signal", async () => {
    const { server } = await start({ maxUnaryDeadlineMs: 300 });
    const { commands } = clients(server);
    const error = await failure(
      commands.bulkUpdate({ requestId: "stuck" }, new grpc.Metadata(), { deadline: Date.now() + 60_000 }),
    );
    expect(error?.code).toBe(grpc.status.DEADLINE_EXCEEDED);
    expect(decodeURIComponent(error?.details ?? "")).toContain("MAX_UNARY_DEADLINE_MS=300");
  });

  it("ends a server stream at MAX_STREAM_DEADLINE_MS after the messages already sent", async () => {
    const { server, probe } = await start({ maxStreamDeadlineMs: 500, maxUnaryDeadlineMs: 60_000 });
    const { queries } = clients(server);
    const hung = await readTasks(queries.exportTasks({ filter: { category: "hang" } }));
    expect(hung.ids).toEqual(["first"]);
    expect(hung.error?.code).toBe(grpc.status.DEADLINE_EXCEEDED);
    expect(decodeURIComponent(hung.error?.details ?? "")).toContain("MAX_STREAM_DEADLINE_MS=500");
    expect(probe.abortReasons[0]).toBeInstanceOf(TimeLimitExceeded);
    const stuck = await readTasks(queries.exportTasks({ filter: { category: "stuck" } }));
    expect(stuck.error?.code).toBe(grpc.status.DEADLINE_EXCEEDED);
  });

  it("leaves calls that finish in time alone", async () => {
    const { server } = await start({ maxStreamDeadlineMs: 60_000, maxUnaryDeadlineMs: 60_000 });
    const { commands, queries } = clients(server);
    expect(await commands.bulkUpdate({ requestId: "quick" })).toMatchObject({ requestId: "quick" });
    expect((await collect(queries.exportTasks({ filter: { category: "done" } }))).length).toBe(2);
  });
});

describe("REFLECTION=off", () => {
  it("answers both reflection services with UNIMPLEMENTED while health keeps serving", async () => {
    const { server } = await start({ reflection: false });
    const address = `127.0.0.1:${server.port}`;
    for (const service of [v1.ServerReflection, v1alpha.ServerReflection]) {
      const client = createGrpcJsClient(service, address);
      opened.push(client);
      const stream = client.serverReflectionInfo() as grpc.ClientDuplexStream<unknown, unknown>;
      stream.write({ messageRequest: { case: "listServices", value: "" } });
      stream.end();
      const error = await failure(collect(stream as AsyncIterable<unknown>));
      expect(error?.code).toBe(grpc.status.UNIMPLEMENTED);
      expect(decodeURIComponent(error?.details ?? "")).toContain("REFLECTION=off");
    }
    const health = createGrpcJsClient(Health, address);
    opened.push(health);
    expect((await health.check({ service: "" })).status).toBe(ServingStatus.SERVING);
  });
});
