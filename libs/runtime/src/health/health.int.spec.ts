import { Health } from "@conveyor/proto/grpc/health/v1/health_pb";
import * as grpc from "@grpc/grpc-js";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { GrpcServer } from "../server/start-grpc-server.ts";
import { createGrpcJsClient, type GrpcJsClient } from "../testing/grpc-js-client.ts";
import { startStubServer } from "../testing/stub-app.ts";
import { ServingStatus } from "./health-status.ts";

const queryService = "conveyor.query.v1.QueryService";
let server: GrpcServer;
let health: GrpcJsClient<typeof Health>;
beforeAll(async () => {
  server = await startStubServer();
});
beforeEach(() => {
  health = createGrpcJsClient(Health, `127.0.0.1:${server.port}`);
});
afterEach(() => health.close());
afterAll(() => server.close());

describe("grpc.health.v1.Health via grpc-js", () => {
  it("Check reports the server and each app service SERVING", async () => {
    expect((await health.check({ service: "" })).status).toBe(ServingStatus.SERVING);
    expect((await health.check({ service: queryService })).status).toBe(ServingStatus.SERVING);
  });

  it("Check fails with NOT_FOUND for an unknown service", async () => {
    const error = await health.check({ service: "no.Such" }).then(
      () => undefined,
      (err: grpc.ServiceError) => err,
    );
    expect(error?.code).toBe(grpc.status.NOT_FOUND);
  });

  it("Check answers NOT_FOUND for a 70,000-character service name, not a reset stream", async () => {
    const error = await health.check({ service: "x".repeat(70_000) }).then(
      () => undefined,
      (err: grpc.ServiceError) => err,
    );
    expect(error?.code).toBe(grpc.status.NOT_FOUND);
    expect(error?.details.length).toBeLessThan(300);
  });

  it("Watch sends the current status, then each change", async () => {
    const watch = health.watch({ service: "conveyor.command.v1.CommandService" });
    const statuses = watch[Symbol.asyncIterator]();
    expect((await statuses.next()).value).toMatchObject({ status: ServingStatus.SERVING });
    server.health.set("conveyor.command.v1.CommandService", ServingStatus.NOT_SERVING);
    expect((await statuses.next()).value).toMatchObject({ status: ServingStatus.NOT_SERVING });
    server.health.set("conveyor.command.v1.CommandService", ServingStatus.SERVING);
    expect((await statuses.next()).value).toMatchObject({ status: ServingStatus.SERVING });
    watch.cancel();
  });

  it("Watch answers SERVICE_UNKNOWN for an unknown service and keeps the stream open", async () => {
    const watch = health.watch({ service: "late.Service" });
    const statuses = watch[Symbol.asyncIterator]();
    expect((await statuses.next()).value).toMatchObject({ status: ServingStatus.SERVICE_UNKNOWN });
    server.health.set("late.Service", ServingStatus.SERVING);
    expect((await statuses.next()).value).toMatchObject({ status: ServingStatus.SERVING });
    watch.cancel();
  });

  it("List reports every registered service", async () => {
    const { statuses } = await health.list({});
    expect(Object.keys(statuses)).toEqual(
      expect.arrayContaining(["", queryService, "conveyor.command.v1.CommandService"]),
    );
  });
});
