import { type Client, Code, ConnectError, createClient, type Transport } from "@connectrpc/connect";
import {
  createConnectTransport,
  createGrpcTransport,
  createGrpcWebTransport,
} from "@connectrpc/connect-node";
import { CommandService } from "@conveyor/proto/conveyor/command/v1/command_service_pb";
import { QueryService } from "@conveyor/proto/conveyor/query/v1/query_service_pb";
import { Health } from "@conveyor/proto/grpc/health/v1/health_pb";
import { PermissionDenied } from "@conveyor/errors";
import * as grpc from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { collect, createGrpcJsClient } from "../testing/grpc-js-client.ts";
import { startStubServer, stubUser } from "../testing/stub-app.ts";
import { ServingStatus } from "../health/health-status.ts";
import type { GrpcServer } from "./start-grpc-server.ts";

/** A grace period far beyond the test timeout: a close() that sat it out would fail the test. */
const endlessGrace = { shutdownGraceMs: 3_600_000 };

let server: GrpcServer;
let address: string;
beforeAll(async () => {
  server = await startStubServer();
  address = `127.0.0.1:${server.port}`;
});
afterAll(() => server.close());

describe("startGrpcServer over gRPC with a grpc-js client (HTTP/2 prior knowledge)", () => {
  it("serves a unary and a server-streaming method", async () => {
    const commands = createGrpcJsClient(CommandService, address);
    const queries = createGrpcJsClient(QueryService, address);
    try {
      expect(await commands.bulkUpdate({ requestId: "r-1" })).toMatchObject({
        requestId: "r-1",
        matched: 3n,
        updated: 2n,
      });
      const chunks = await collect(queries.exportUsers({}));
      expect(chunks.map((chunk) => chunk.rows.map((row) => row.email))).toEqual([[stubUser.email]]);
    } finally {
      commands.close();
      queries.close();
    }
  });

  it("delivers a ValidationError as INVALID_ARGUMENT naming the field", async () => {
    const commands = createGrpcJsClient(CommandService, address);
    const error = await commands.bulkUpdate({}).then(
      () => undefined,
      (err: grpc.ServiceError) => err,
    );
    commands.close();
    expect(error?.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(error?.details).toContain("request_id");
    expect(error?.metadata.get("x-conveyor-field")).toEqual(["request_id"]);
    expect(error?.metadata.get("grpc-status-details-bin")).toHaveLength(1);
  });

  it("delivers a streaming handler's error after the messages already sent", async () => {
    const queries = createGrpcJsClient(QueryService, address);
    const received: string[] = [];
    const read = async () => {
      for await (const chunk of queries.exportTasks({}))
        received.push(...chunk.rows.map((row) => row.taskId));
    };
    const error = await read().then(
      () => undefined,
      (err: grpc.ServiceError) => err,
    );
    queries.close();
    expect(received).toEqual(["t-1"]);
    expect(error?.code).toBe(grpc.status.RESOURCE_EXHAUSTED);
    expect(error?.details).toContain("export_rows");
  });
});

describe.each([
  [
    "Connect over HTTP/1.1",
    () => createConnectTransport({ baseUrl: `http://${address}`, httpVersion: "1.1" }),
  ],
  [
    "gRPC-Web over HTTP/1.1",
    () => createGrpcWebTransport({ baseUrl: `http://${address}`, httpVersion: "1.1" }),
  ],
  ["Connect over h2c", () => createConnectTransport({ baseUrl: `http://${address}`, httpVersion: "2" })],
  ["gRPC over h2c (connect-node)", () => createGrpcTransport({ baseUrl: `http://${address}` })],
])("startGrpcServer with a connect-node client, %s", (_protocol, transport: () => Transport) => {
  let commands: Client<typeof CommandService>;
  let queries: Client<typeof QueryService>;
  beforeAll(() => {
    commands = createClient(CommandService, transport());
    queries = createClient(QueryService, transport());
  });

  it("serves a unary and a server-streaming method on the same port", async () => {
    expect(await commands.bulkUpdate({ requestId: "r-2" })).toMatchObject({ requestId: "r-2", updated: 2n });
    expect((await collect(queries.exportUsers({}))).map((chunk) => chunk.progress?.cursor)).toEqual([
      "after-1",
    ]);
  });

  it("delivers a ValidationError with a google.rpc.BadRequest detail", async () => {
    const error = await collect(queries.exportOrders({})).then(
      () => undefined,
      (err) => ConnectError.from(err),
    );
    expect(error?.code).toBe(Code.InvalidArgument);
    expect(error?.rawMessage).toContain("filter.customer_id");
    expect(error?.details.map((detail) => ("type" in detail ? detail.type : detail.desc.typeName))).toEqual([
      "google.rpc.BadRequest",
    ]);
  });
});

describe("startGrpcServer readMaxBytes", () => {
  it("refuses a request message over the 4 MiB default with RESOURCE_EXHAUSTED, without keeping the stream open", async () => {
    const defaults = await startStubServer(endlessGrace);
    const commands = createGrpcJsClient(CommandService, `127.0.0.1:${defaults.port}`);
    const error = await commands.bulkUpdate({ requestId: "x".repeat(4 * 1024 * 1024 + 1) }).then(
      () => undefined,
      (err: grpc.ServiceError) => err,
    );
    expect(error?.code).toBe(grpc.status.RESOURCE_EXHAUSTED);
    await defaults.close();
    commands.close();
  });

  it("refuses a request message over a configured limit with RESOURCE_EXHAUSTED", async () => {
    const small = await startStubServer({ limits: { readMaxBytes: 1024 } });
    const commands = createGrpcJsClient(CommandService, `127.0.0.1:${small.port}`);
    try {
      expect(await commands.bulkUpdate({ requestId: "x".repeat(1000) })).toMatchObject({ updated: 2n });
      const error = await commands.bulkUpdate({ requestId: "x".repeat(1025) }).then(
        () => undefined,
        (err: grpc.ServiceError) => err,
      );
      expect(error?.code).toBe(grpc.status.RESOURCE_EXHAUSTED);
    } finally {
      commands.close();
      await small.close();
    }
  });
});

describe("startGrpcServer interceptors", () => {
  it("runs app interceptors in order, and maps the errors they throw like handler errors", async () => {
    const seen: string[] = [];
    const guarded = await startStubServer({
      interceptors: [
        (next) => (request) => {
          seen.push(`first:${request.method.name}`);
          return next(request);
        },
        (next) => (request) => {
          seen.push(`second:${request.method.name}`);
          if (request.header.get("x-deny") === "yes") throw new PermissionDenied("denied by the test");
          return next(request);
        },
      ],
    });
    const commands = createGrpcJsClient(CommandService, `127.0.0.1:${guarded.port}`);
    try {
      expect(await commands.bulkUpdate({ requestId: "r" })).toMatchObject({ updated: 2n });
      const denied = new grpc.Metadata();
      denied.set("x-deny", "yes");
      const error = await commands.bulkUpdate({ requestId: "r" }, denied).then(
        () => undefined,
        (err: grpc.ServiceError) => err,
      );
      expect(error?.code).toBe(grpc.status.PERMISSION_DENIED);
      expect(error?.details).toBe("denied by the test");
      expect(seen).toEqual([
        "first:BulkUpdate",
        "second:BulkUpdate",
        "first:BulkUpdate",
        "second:BulkUpdate",
      ]);
    } finally {
      commands.close();
      await guarded.close();
    }
  });
});

describe("startGrpcServer close()", () => {
  it("ends an open Watch stream (after NOT_SERVING) and finishes promptly", async () => {
    const closing = await startStubServer(endlessGrace);
    const health = createGrpcJsClient(Health, `127.0.0.1:${closing.port}`);
    const watch = health.watch({ service: "" });
    const statuses: ServingStatus[] = [];
    const watched = collect(watch).then(
      (responses) => responses.forEach((response) => statuses.push(response.status)),
      (err: grpc.ServiceError) => err,
    );
    await new Promise((resolve) => watch.once("data", resolve));
    await closing.close();
    expect(await watched).toBeUndefined();
    expect(statuses).toEqual([ServingStatus.SERVING, ServingStatus.NOT_SERVING]);
    health.close();
  });

  it("finishes promptly with an idle HTTP/1.1 keep-alive connection and an idle HTTP/2 client", async () => {
    const closing = await startStubServer(endlessGrace);
    const baseUrl = `http://127.0.0.1:${closing.port}`;
    await createClient(CommandService, createConnectTransport({ baseUrl, httpVersion: "1.1" })).bulkUpdate({
      requestId: "r",
    });
    const grpcJs = createGrpcJsClient(CommandService, `127.0.0.1:${closing.port}`);
    await grpcJs.bulkUpdate({ requestId: "r" });
    await closing.close();
    grpcJs.close();
  });
});
