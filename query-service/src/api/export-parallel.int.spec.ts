import { ExportFormat } from "@conveyor/proto/conveyor/query/v1/exports_pb";
import { OrderStatus } from "@conveyor/proto/conveyor/types/v1/types_pb";
import { collect } from "@conveyor/runtime/testing";
import * as grpc from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitFor } from "../../../test/harness/wait-for.ts";
import { type ExportFixture, startExportFixture } from "../export/testing/export-fixture.ts";
import { collectData, streamError, takeMessages } from "../export/testing/export-streams.ts";
import { seededKey, seedOrders } from "../export/testing/seed-read-model.ts";

const total = 3_000;
let fixture: ExportFixture;

beforeAll(async () => {
  fixture = await startExportFixture("export_parallel", { snapshotHoldMs: 5_000 });
  await seedOrders(fixture.pool, total);
  await fixture.pool.query("ANALYZE read_orders");
});
afterAll(() => fixture.stop());

const keysOf = async (cursor: string, filter = {}) =>
  (await collect(fixture.client.exportOrders({ filter, options: { cursor } }))).flatMap((message) =>
    message.rows.map((row) => row.orderId),
  );

describe("PlanParallelExport", () => {
  it("splits an export into parts that together yield every row exactly once, in key order", async () => {
    const plan = await fixture.client.planParallelExport({ target: { case: "orders", value: {} }, parts: 4 });
    expect(plan.partCursors).toHaveLength(4);
    expect(Number(plan.estimatedTotal)).toBeGreaterThan(total / 2);
    const parts = await Promise.all(plan.partCursors.map((cursor) => keysOf(cursor)));
    parts.forEach((keys) => expect(keys.length).toBeGreaterThan(total / 10));
    expect(parts.flat()).toEqual(Array.from({ length: total }, (_, i) => seededKey(i + 1)));
  });

  it("reads every part in the snapshot of the plan, not later writes", async () => {
    const filter = { statuses: [OrderStatus.PAID] };
    const plan = await fixture.client.planParallelExport({
      target: { case: "orders", value: filter },
      parts: 3,
    });
    const before = (
      await fixture.pool.query<{ order_id: string }>(
        "SELECT order_id FROM read_orders WHERE status = 'PAID' ORDER BY 1",
      )
    ).rows;
    await seedOrders(fixture.pool, 40, 10_000);
    await fixture.pool.query("UPDATE read_orders SET status = 'PAID' WHERE order_id = $1", [seededKey(1)]);
    try {
      const parts = await Promise.all(plan.partCursors.map((cursor) => keysOf(cursor, filter)));
      expect(parts.flat()).toEqual(before.map((row) => row.order_id));
    } finally {
      await fixture.pool.query("DELETE FROM read_orders WHERE order_id >= $1", [seededKey(10_000)]);
      await fixture.pool.query("UPDATE read_orders SET status = 'PLACED' WHERE order_id = $1", [
        seededKey(1),
      ]);
    }
  });

  it("gives only the first part the CSV header, so the parts concatenate into one file", async () => {
    const plan = await fixture.client.planParallelExport({ target: { case: "orders", value: {} }, parts: 3 });
    const csv = await Promise.all(
      plan.partCursors.map((cursor) =>
        collectData(fixture.client.exportOrders({ options: { cursor, format: ExportFormat.CSV } })),
      ),
    );
    const lines = Buffer.concat(csv).toString().trim().split("\r\n");
    expect(lines[0]).toMatch(/^order_id,/);
    expect(lines.slice(1).map((line) => line.slice(0, 36))).toEqual(
      Array.from({ length: total }, (_, i) => seededKey(i + 1)),
    );
  });

  it("resumes a part from its own cursor within its range", async () => {
    const plan = await fixture.client.planParallelExport({ target: { case: "orders", value: {} }, parts: 2 });
    const [first, second] = plan.partCursors as [string, string];
    const started = await takeMessages(
      fixture.client.exportOrders({ options: { cursor: second, chunkSize: 100 } }),
      2,
    );
    const firstKeys = await keysOf(first);
    const rest = await keysOf(started.at(-1)!.progress!.cursor);
    const secondKeys = [...started.flatMap((message) => message.rows.map((row) => row.orderId)), ...rest];
    expect([...firstKeys, ...secondKeys]).toEqual(Array.from({ length: total }, (_, i) => seededKey(i + 1)));
  });

  it("refuses a part started after the snapshot was let go with FAILED_PRECONDITION", async () => {
    const plan = await fixture.client.planParallelExport({ target: { case: "tasks", value: {} }, parts: 2 });
    await waitFor(
      async () =>
        (await fixture.exportBackends()).every((backend) => backend.state !== "idle in transaction"),
      { timeoutMs: 15_000, description: "the planned snapshot to be let go" },
    );
    const error = (await streamError(
      fixture.client.exportTasks({ options: { cursor: plan.partCursors[0]! } }),
    )) as grpc.ServiceError;
    expect(error.code).toBe(grpc.status.FAILED_PRECONDITION);
  });

  it("refuses a part count out of range and a missing target with INVALID_ARGUMENT", async () => {
    const refusal = (request: Parameters<typeof fixture.client.planParallelExport>[0]) =>
      fixture.client.planParallelExport(request).then(
        () => undefined,
        (error: grpc.ServiceError) => [error.code, error.metadata.get("x-conveyor-field")[0]],
      );
    expect(await refusal({ target: { case: "orders", value: {} }, parts: 0 })).toEqual([
      grpc.status.INVALID_ARGUMENT,
      "parts",
    ]);
    expect(await refusal({ target: { case: "orders", value: {} }, parts: 9 })).toEqual([
      grpc.status.INVALID_ARGUMENT,
      "parts",
    ]);
    expect(await refusal({ parts: 2 })).toEqual([grpc.status.INVALID_ARGUMENT, "target"]);
    expect(await refusal({ target: { case: "users", value: { statuses: [0] } }, parts: 2 })).toEqual([
      grpc.status.INVALID_ARGUMENT,
      "users.statuses[0]",
    ]);
  });
});
