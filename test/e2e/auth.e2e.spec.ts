import { Code, createClient } from "@connectrpc/connect";
import { createConnectTransport, createGrpcWebTransport } from "@connectrpc/connect-node";
import { CommandService } from "@conveyor/proto/conveyor/command/v1/command_service_pb";
import { QueryService } from "@conveyor/proto/conveyor/query/v1/query_service_pb";
import { Health, HealthCheckResponse_ServingStatus } from "@conveyor/proto/grpc/health/v1/health_pb";
import * as reflection from "@conveyor/proto/grpc/reflection/v1/reflection_pb";
import { bearerMetadata, collect, createGrpcJsClient } from "@conveyor/runtime/testing";
import * as grpc from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { v7 as uuidv7 } from "uuid";
import { createTask, createUser } from "../../command-service/src/api/testing/commands.ts";
import { withClient } from "../../deploy/local/postgres.ts";
import { startStack, type Stack } from "../harness/stack.ts";
import { protocols } from "./auth/rpc-walk.ts";

// One stack for the whole file; each principal shows one rule. Rates of 0.001/s never refill in a test.
const principals = {
  reader: { permissions: ["export:*"] },
  writer: { permissions: ["command:*", "bulk:*"] },
  creator: { permissions: ["command:CreateUser"] },
  "orders-reader": { permissions: ["export:orders"] },
  suspender: { permissions: ["bulk:SuspendUsers"] },
  "request-limited": { permissions: ["*"], rateLimit: { requestsPerSecond: 0.001, requestsBurst: 2 } },
  "command-limited": {
    permissions: ["command:*"],
    rateLimit: { commandsPerSecond: 0.001, commandsBurst: 3 },
  },
};

let stack: Stack;
beforeAll(async () => {
  stack = await startStack("auth", { principals });
});
afterAll(() => stack?.stop());

const bearer = (name: keyof typeof principals | "test") => ({
  authorization: `Bearer ${stack.tokens[name]}`,
});

// Every RPC of both services, read from their descriptors, so a new RPC is walked without a change here.
const services = [
  { service: CommandService, address: () => `127.0.0.1:${stack.commandPort}`, wrongScope: "reader" as const },
  { service: QueryService, address: () => `127.0.0.1:${stack.queryPort}`, wrongScope: "writer" as const },
];
const walk = protocols.flatMap((protocol) =>
  services.flatMap(({ service, address, wrongScope }) =>
    service.methods.map((method) => ({ protocol, service, method, address, wrongScope })),
  ),
);

describe("every RPC of both services", () => {
  it("covers all ten methods", () => {
    expect(walk.length).toBe(protocols.length * 10);
  });

  it.each(
    walk.map((entry) => [entry.protocol.name, `${entry.service.name}.${entry.method.name}`, entry] as const),
  )(
    "%s %s: UNAUTHENTICATED without a known token, PERMISSION_DENIED with a wrong-scope one",
    async (_protocol, _method, { protocol, service, method, address, wrongScope }) => {
      const { call, close } = protocol.caller(service, address());
      try {
        expect(await call(method, {})).toBe(Code.Unauthenticated);
        expect(await call(method, { authorization: "Bearer not-a-known-token" })).toBe(Code.Unauthenticated);
        expect(await call(method, { authorization: `Basic ${stack.token}` })).toBe(Code.Unauthenticated);
        expect(await call(method, bearer(wrongScope))).toBe(Code.PermissionDenied);
        // The all-permissions token gets past authorization (an empty request may still be invalid).
        expect([Code.Unauthenticated, Code.PermissionDenied]).not.toContain(
          await call(method, bearer("test")),
        );
      } finally {
        close();
      }
    },
  );
});

describe("open services", () => {
  it.each([
    ["gRPC-Web", (baseUrl: string) => createGrpcWebTransport({ baseUrl, httpVersion: "1.1" })],
    ["Connect", (baseUrl: string) => createConnectTransport({ baseUrl, httpVersion: "1.1" })],
  ])("health answers without a token over %s", async (_name, transport) => {
    for (const baseUrl of [stack.commandUrl, stack.queryUrl]) {
      const health = createClient(Health, transport(baseUrl));
      expect((await health.check({})).status).toBe(HealthCheckResponse_ServingStatus.SERVING);
    }
  });

  it("health and reflection answer grpc-js with and without a token", async () => {
    for (const port of [stack.commandPort, stack.queryPort]) {
      const health = createGrpcJsClient(Health, `127.0.0.1:${port}`);
      const reflect = createGrpcJsClient(reflection.ServerReflection, `127.0.0.1:${port}`);
      try {
        for (const metadata of [new grpc.Metadata(), bearerMetadata(stack.token)]) {
          expect((await health.check({}, metadata)).status).toBe(HealthCheckResponse_ServingStatus.SERVING);
          const stream = reflect.serverReflectionInfo(metadata);
          stream.write({ messageRequest: { case: "listServices", value: "" } });
          stream.end();
          const [answer] = await collect(stream as AsyncIterable<reflection.ServerReflectionResponse>);
          const listed =
            answer?.messageResponse.case === "listServicesResponse"
              ? answer.messageResponse.value
              : undefined;
          expect(listed?.service.map((entry) => entry.name)).toContain("grpc.health.v1.Health");
        }
      } finally {
        health.close();
        reflect.close();
      }
    }
  });
});

describe("authorization of what a request asks for", () => {
  let commands: ReturnType<typeof createGrpcJsClient<typeof CommandService>>;
  let queries: ReturnType<typeof createGrpcJsClient<typeof QueryService>>;
  beforeAll(() => {
    commands = createGrpcJsClient(CommandService, `127.0.0.1:${stack.commandPort}`);
    queries = createGrpcJsClient(QueryService, `127.0.0.1:${stack.queryPort}`);
  });
  afterAll(() => {
    commands?.close();
    queries?.close();
  });

  const traces = (requestId: string, ids: string[]) =>
    withClient(stack.writeDatabaseUrl, async (client) => {
      const count = async (sql: string, values: unknown[]) =>
        (await client.query<{ n: number }>(sql, values)).rows[0]!.n;
      return {
        users: await count("SELECT count(*)::int AS n FROM users WHERE id = ANY($1::uuid[])", [ids]),
        tasks: await count("SELECT count(*)::int AS n FROM tasks WHERE id = ANY($1::uuid[])", [ids]),
        outbox: await count("SELECT count(*)::int AS n FROM outbox WHERE aggregate_id = ANY($1::uuid[])", [
          ids,
        ]),
        audit: await count("SELECT count(*)::int AS n FROM batch_audit WHERE batch_id = $1", [requestId]),
        claims: await count("SELECT count(*)::int AS n FROM batch_requests WHERE request_id = $1", [
          requestId,
        ]),
      };
    });
  const nothing = { users: 0, tasks: 0, outbox: 0, audit: 0, claims: 0 };

  it("refuses a whole batch up front, naming the first refused command type and its index; nothing runs", async () => {
    const ids = [uuidv7(), uuidv7(), uuidv7(), uuidv7()];
    const request = {
      requestId: uuidv7(),
      commands: [createUser(ids[0]!), createTask(ids[1]!), createUser(ids[2]!), createTask(ids[3]!)],
    };
    const refusal = {
      code: grpc.status.PERMISSION_DENIED,
      details: 'commands[1]: principal "creator" may not run command CreateTask (needs "command:CreateTask")',
    };
    expect(await failure(commands.batchExecute(request, as("creator")))).toMatchObject(refusal);
    expect(await failure(collect(commands.batchExecuteStream(request, as("creator"))))).toMatchObject(
      refusal,
    );
    expect(await traces(request.requestId, ids)).toEqual(nothing);

    // The request id was never claimed: the same batch from a principal allowed to run it executes afresh.
    const response = await commands.batchExecute(request, as("test"));
    expect(response).toMatchObject({ success: true, replayed: false });
    expect(await traces(request.requestId, ids)).toMatchObject({ users: 2, tasks: 2, audit: 1, claims: 1 });
  });

  it("runs a batch of permitted commands and audits it under the principal's name", async () => {
    const id = uuidv7();
    const request = { requestId: uuidv7(), commands: [createUser(id)] };
    expect(await commands.batchExecute(request, as("creator"))).toMatchObject({ success: true });
    const principal = await withClient(stack.writeDatabaseUrl, async (client) => {
      const result = await client.query<{ principal: string }>(
        "SELECT principal FROM batch_audit WHERE batch_id = $1",
        [request.requestId],
      );
      return result.rows.map((row) => row.principal);
    });
    expect(principal).toEqual(["creator"]);
  });

  it("authorizes a bulk update by its operation", async () => {
    const never = { node: { case: "never", value: true } } as const;
    const suspend = { requestId: uuidv7(), filter: never, dryRun: true };
    await expect(
      commands.bulkUpdate({ ...suspend, operation: { case: "suspendUsers", value: {} } }, as("suspender")),
    ).resolves.toBeDefined();
    expect(
      await failure(
        commands.bulkUpdate(
          { ...suspend, operation: { case: "cancelOrders", value: { reason: "test" } } },
          as("suspender"),
        ),
      ),
    ).toMatchObject({
      code: grpc.status.PERMISSION_DENIED,
      details:
        'operation: principal "suspender" may not run bulk operation CancelOrders (needs "bulk:CancelOrders")',
    });
  });

  it("authorizes an export, its change feed and a parallel plan by the exported table", async () => {
    await expect(collect(queries.exportOrders({}, as("orders-reader")))).resolves.toBeDefined();
    // A change feed needs a cursor: without one it is INVALID_ARGUMENT, but not PERMISSION_DENIED.
    expect((await failure(collect(queries.exportOrderChanges({}, as("orders-reader"))))).code).toBe(
      grpc.status.INVALID_ARGUMENT,
    );
    await expect(
      queries.planParallelExport({ target: { case: "orders", value: {} }, parts: 2 }, as("orders-reader")),
    ).resolves.toBeDefined();
    const refusals = await Promise.all([
      failure(collect(queries.exportTasks({}, as("orders-reader")))),
      failure(collect(queries.exportTaskChanges({}, as("orders-reader")))),
      failure(
        queries.planParallelExport({ target: { case: "tasks", value: {} }, parts: 2 }, as("orders-reader")),
      ),
    ]);
    for (const refusal of refusals) {
      expect(refusal.code).toBe(grpc.status.PERMISSION_DENIED);
      expect(refusal.details).toContain(
        'principal "orders-reader" may not export tasks (needs "export:tasks")',
      );
    }
  });
});

describe("per-principal rate limits", () => {
  let commands: ReturnType<typeof createGrpcJsClient<typeof CommandService>>;
  beforeAll(() => {
    commands = createGrpcJsClient(CommandService, `127.0.0.1:${stack.commandPort}`);
  });
  afterAll(() => commands?.close());

  it("answers RESOURCE_EXHAUSTED naming the request limit, with when to retry, once the burst is spent", async () => {
    const metadata = () => bearerMetadata(stack.tokens["request-limited"]!);
    const invalid = { requestId: "", commands: [] };
    for (let i = 0; i < 2; i += 1)
      await expect(commands.batchExecute(invalid, metadata())).rejects.toMatchObject({
        code: grpc.status.INVALID_ARGUMENT,
      });
    const error = await failure(commands.batchExecute(invalid, metadata()));
    expect(error.code).toBe(grpc.status.RESOURCE_EXHAUSTED);
    expect(error.details).toMatch(
      /principal "request-limited" is over its rate limit of 0\.001 requests\/s; retry in \d+ ms \(limit: RATE_LIMIT_REQUESTS_PER_SECOND=0\.001, burst 2\)/,
    );
    expect(Number(error.metadata.get("grpc-retry-pushback-ms")[0])).toBeGreaterThan(0);
    // Other principals keep their own budgets.
    await expect(commands.batchExecute(invalid, as("test"))).rejects.toMatchObject({
      code: grpc.status.INVALID_ARGUMENT,
    });
  });

  it("weighs batches by their commands; a refused batch runs nothing", async () => {
    const metadata = () => bearerMetadata(stack.tokens["command-limited"]!);
    const [a, b, c, d] = [uuidv7(), uuidv7(), uuidv7(), uuidv7()];
    const first = { requestId: uuidv7(), commands: [createUser(a), createUser(b)] };
    expect(await commands.batchExecute(first, metadata())).toMatchObject({ success: true });
    const second = { requestId: uuidv7(), commands: [createUser(c), createUser(d)] };
    const overRate = await failure(commands.batchExecute(second, metadata()));
    expect(overRate.code).toBe(grpc.status.RESOURCE_EXHAUSTED);
    expect(overRate.details).toMatch(
      /over its rate limit of 0\.001 batch commands\/s.*RATE_LIMIT_COMMANDS_PER_SECOND=0\.001, burst 3/,
    );
    const huge = { requestId: uuidv7(), commands: [a, b, c, d].map((id) => createTask(id)) };
    const overBurst = await failure(commands.batchExecute(huge, metadata()));
    expect(overBurst.code).toBe(grpc.status.RESOURCE_EXHAUSTED);
    expect(overBurst.details).toContain("4 batch commands exceed the burst of 3 batch commands");
    const written = await withClient(stack.writeDatabaseUrl, async (client) => {
      const result = await client.query<{ n: number }>(
        "SELECT (SELECT count(*) FROM users WHERE id = ANY($1::uuid[])) + (SELECT count(*) FROM tasks WHERE id = ANY($1::uuid[])) AS n",
        [[c, d]],
      );
      return Number(result.rows[0]!.n);
    });
    expect(written).toBe(0);
  });
});

function as(name: string): grpc.Metadata {
  return bearerMetadata(stack.tokens[name]!);
}

/**
 * The grpc-js error a call failed with (fails the test if it succeeded), its message decoded: grpc-js
 * leaves reserved characters of grpc-message percent-encoded (it uses decodeURI).
 */
async function failure(call: Promise<unknown>): Promise<grpc.ServiceError> {
  try {
    await call;
  } catch (error) {
    const serviceError = error as grpc.ServiceError;
    return Object.assign(serviceError, { details: decodeURIComponent(serviceError.details) });
  }
  throw new Error("the call succeeded");
}
