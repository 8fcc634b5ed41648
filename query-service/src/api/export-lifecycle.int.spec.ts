import { ExportFormat } from "@conveyor/proto/conveyor/query/v1/exports_pb";
import * as grpc from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitFor } from "../../../test/harness/wait-for.ts";
import {
  type ExportFixture,
  exportConnectionsReleased,
  startExportFixture,
} from "../export/testing/export-fixture.ts";
import { dropConnectionMidExport } from "../export/testing/dropped-connection.ts";
import { streamError } from "../export/testing/export-streams.ts";
import { liveBufferBytes } from "../export/testing/forced-gc.ts";
import { pausedAfterFirst } from "../export/testing/paused-reader.ts";
import { seedOrders } from "../export/testing/seed-read-model.ts";

const rows = 60_000; // about 13 MB of CSV: far more than every buffer between PostgreSQL and the client
let fixture: ExportFixture;

beforeAll(async () => {
  fixture = await startExportFixture("export_lifecycle", { maxStreams: 2, consistencyWaitMs: 300 });
  await seedOrders(fixture.pool, rows);
});
afterAll(() => fixture.stop());

/** PostgreSQL waits to send to our paused socket: the client's pace has reached the database. */
const databaseBlockedOnClient = async () =>
  (await fixture.exportBackends()).some(
    (backend) => backend.state === "active" && backend.wait_event === "ClientWrite",
  );

const released = () =>
  waitFor(() => exportConnectionsReleased(fixture), {
    timeoutMs: 1_000,
    description: "the export connection to be released",
  });

const csvExport = (options: grpc.CallOptions = {}) =>
  fixture.client.exportOrders({ options: { format: ExportFormat.CSV } }, new grpc.Metadata(), options);

describe("backpressure", () => {
  it("a slow reader keeps server memory flat: the database waits for the client instead", async () => {
    const before = liveBufferBytes();
    const reader = pausedAfterFirst(csvExport());
    await reader.first;
    await waitFor(databaseBlockedOnClient, {
      timeoutMs: 30_000,
      description: "PostgreSQL to block on the paused client",
    });
    const held = liveBufferBytes() - before;
    expect(held).toBeLessThan(4 * 1024 * 1024);
    const rest = await reader.resume();
    expect(rest.at(-1)?.progress).toMatchObject({ done: true, rowsSoFar: BigInt(rows) });
  });
});

describe("a stream that ends early releases its database connection within a second", () => {
  it("when the client cancels", async () => {
    const call = csvExport();
    await pausedAfterFirst(call).first;
    await waitFor(databaseBlockedOnClient, { timeoutMs: 30_000, description: "the export query to run" });
    call.cancel();
    await released();
  });

  it("when the deadline passes", async () => {
    const deadline = Date.now() + 1_500;
    const reader = pausedAfterFirst(csvExport({ deadline }));
    await reader.first;
    await waitFor(() => exportConnectionsReleased(fixture), {
      timeoutMs: deadline + 1_000 - Date.now(),
      description: "the export connection to be released within a second of the deadline",
    });
    await expect(reader.resume()).rejects.toMatchObject({ code: grpc.status.DEADLINE_EXCEEDED });
  });

  it("when the connection drops", async () => {
    await dropConnectionMidExport(fixture.address, { options: { format: ExportFormat.CSV } });
    await released();
  });
});

describe("limits", () => {
  it(`runs at most maxStreams exports at once, RESOURCE_EXHAUSTED beyond`, async () => {
    await released();
    const calls = [csvExport(), csvExport()];
    await Promise.all(calls.map((call) => pausedAfterFirst(call).first));
    const error = (await streamError(csvExport())) as grpc.ServiceError;
    expect(error.code).toBe(grpc.status.RESOURCE_EXHAUSTED);
    expect(decodeURIComponent(error.details)).toContain("export_streams");
    calls.forEach((call) => call.cancel());
    await released();
    const [first] = await Promise.all([pausedAfterFirst(csvExport()).first]);
    expect(first.data.length).toBeGreaterThan(0);
  });

  it("a malformed consistency token is INVALID_ARGUMENT; one the read model never reaches is UNAVAILABLE", async () => {
    const malformed = (await streamError(
      fixture.client.exportOrders({ options: { consistencyToken: "nope" } }),
    )) as grpc.ServiceError;
    expect(malformed.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(malformed.metadata.get("x-conveyor-field")).toEqual(["options.consistency_token"]);
    const unreached = (await streamError(
      fixture.client.exportOrders({ options: { consistencyToken: "ct1.999999" } }),
    )) as grpc.ServiceError;
    expect(unreached.code).toBe(grpc.status.UNAVAILABLE);
    expect(decodeURIComponent(unreached.details)).toContain("300 ms");
  });
});

describe.each([
  ["idle-write timeout", { idleWriteTimeoutMs: 300 }, "export_idle_write_timeout"],
  ["maximum duration", { maxDurationMs: 700 }, "export_max_duration"],
])("the server-side %s", (_name, settings, limit) => {
  let limited: ExportFixture;
  beforeAll(async () => {
    limited = await startExportFixture(`export_${limit}`, settings);
    await seedOrders(limited.pool, 20_000);
  });
  afterAll(() => limited.stop());

  it("stops a stream whose client stalls, frees the connection, and says which limit", async () => {
    const reader = pausedAfterFirst(
      limited.client.exportOrders({ options: { format: ExportFormat.NDJSON } }),
    );
    await reader.first;
    await waitFor(() => limitedReleased(limited), {
      timeoutMs: 10_000,
      description: "the stalled export to be stopped",
    });
    const error = (await reader.resume().then(
      () => undefined,
      (err: grpc.ServiceError) => err,
    ))!;
    expect(error.code).toBe(grpc.status.RESOURCE_EXHAUSTED);
    expect(decodeURIComponent(error.details)).toContain(limit);
  });
});

async function limitedReleased(limited: ExportFixture): Promise<boolean> {
  const backends = await limited.exportBackends();
  return backends.length > 0 ? backends.every((backend) => backend.state === "idle") : true;
}
