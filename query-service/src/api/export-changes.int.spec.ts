import { ExportFormat } from "@conveyor/proto/conveyor/query/v1/exports_pb";
import { OrderStatus } from "@conveyor/proto/conveyor/types/v1/types_pb";
import { collect } from "@conveyor/runtime/testing";
import * as grpc from "@grpc/grpc-js";
import pg from "pg";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type ExportFixture, startExportFixture } from "../export/testing/export-fixture.ts";
import { streamError, takeMessages } from "../export/testing/export-streams.ts";
import { seededKey, seedOrders } from "../export/testing/seed-read-model.ts";

let fixture: ExportFixture;
const paid = { statuses: [OrderStatus.PAID] };

beforeAll(async () => {
  fixture = await startExportFixture("export_changes");
});
afterAll(() => fixture.stop());
beforeEach(async () => {
  await fixture.pool.query("TRUNCATE read_orders");
  await seedOrders(fixture.pool, 200);
});

/** The read model as a client following it holds it: rows by id, with their status. */
type Mirror = Map<string, number>;

async function exportInto(mirror: Mirror, filter = paid): Promise<string> {
  const messages = await collect(fixture.client.exportOrders({ filter, options: { chunkSize: 17 } }));
  messages.flatMap((message) => message.rows).forEach((row) => mirror.set(row.orderId, row.status));
  return messages.at(-1)!.progress!.cursor;
}

async function changesInto(
  mirror: Mirror,
  cursor: string,
  filter = paid,
): Promise<{ cursor: string; upserts: string[]; removed: string[] }> {
  const messages = await collect(
    fixture.client.exportOrderChanges({ filter, options: { cursor, chunkSize: 5 } }),
  );
  const upserts = messages.flatMap((message) =>
    message.rows.map((row) => (mirror.set(row.orderId, row.status), row.orderId)),
  );
  const removed = messages.flatMap((message) => message.removedIds);
  removed.forEach((id) => mirror.delete(id));
  return { cursor: messages.at(-1)!.progress!.cursor, upserts, removed };
}

async function paidInDatabase(): Promise<Mirror> {
  const { rows } = await fixture.pool.query<{ order_id: string }>(
    "SELECT order_id FROM read_orders WHERE status = 'PAID'",
  );
  return new Map(rows.map((row) => [row.order_id, OrderStatus.PAID]));
}

const setStatus = (status: string, ...ids: number[]) =>
  fixture.pool.query("UPDATE read_orders SET status = $1 WHERE order_id = ANY($2::uuid[])", [
    status,
    ids.map(seededKey),
  ]);

describe("export, then follow", () => {
  it("streams exactly the rows changed since the export: new and updated ones, and ids that left the filter", async () => {
    const mirror: Mirror = new Map();
    const cursor = await exportInto(mirror);
    await seedOrders(fixture.pool, 8, 1_000); // 1000..1007: two of them PAID
    await setStatus("PAID", 3, 4); // enter the filter
    await setStatus("SHIPPED", 1, 5); // 1 was PAID: leaves it; 5 was PAID too
    await setStatus("CANCELLED", 7); // never PAID: a removal the client can ignore
    const changes = await changesInto(mirror, cursor);
    expect(changes.upserts.sort()).toEqual([3, 4, 1_001, 1_005].map(seededKey).sort());
    expect(changes.removed.sort()).toEqual(
      [1, 5, 7, 1_000, 1_002, 1_003, 1_004, 1_006, 1_007].map(seededKey).sort(),
    );
    expect(mirror).toEqual(await paidInDatabase());
  });

  it("chains: the changes' final cursor follows on with no gap and no duplicate", async () => {
    const mirror: Mirror = new Map();
    let cursor = await exportInto(mirror);
    await setStatus("PAID", 2);
    ({ cursor } = await changesInto(mirror, cursor));
    expect(await changesInto(mirror, cursor)).toMatchObject({ upserts: [], removed: [] });
    await setStatus("PAID", 6);
    const next = await changesInto(mirror, cursor);
    expect(next).toMatchObject({ upserts: [seededKey(6)], removed: [] });
    expect(mirror).toEqual(await paidInDatabase());
  });

  it("sees a write that was in flight when the export took its snapshot", async () => {
    const writer = new pg.Client({ connectionString: fixture.database.url });
    await writer.connect();
    try {
      await writer.query("BEGIN");
      await writer.query("UPDATE read_orders SET status = 'PAID' WHERE order_id = $1", [seededKey(10)]);
      const mirror: Mirror = new Map();
      const cursor = await exportInto(mirror);
      await writer.query("COMMIT");
      expect((await changesInto(mirror, cursor)).upserts).toEqual([seededKey(10)]);
      expect(mirror).toEqual(await paidInDatabase());
    } finally {
      await writer.end();
    }
  });

  it("stays exact when the export itself was resumed across writes", async () => {
    const mirror: Mirror = new Map();
    const started = await takeMessages(
      fixture.client.exportOrders({ filter: paid, options: { chunkSize: 10 } }),
      2,
    );
    started.flatMap((message) => message.rows).forEach((row) => mirror.set(row.orderId, row.status));
    await setStatus("PAID", 3, 199); // one before the cut (missed by the first stream), one after (seen by the resumed one)
    const resumed = await collect(
      fixture.client.exportOrders({ filter: paid, options: { cursor: started.at(-1)!.progress!.cursor } }),
    );
    resumed.flatMap((message) => message.rows).forEach((row) => mirror.set(row.orderId, row.status));
    const changes = await changesInto(mirror, resumed.at(-1)!.progress!.cursor);
    expect(changes.upserts).toEqual([seededKey(3)]);
    expect(mirror).toEqual(await paidInDatabase());
  });

  it("resumes a changes stream mid-way without losing or repeating a change", async () => {
    const mirror: Mirror = new Map();
    const cursor = await exportInto(mirror);
    await setStatus("PAID", ...Array.from({ length: 40 }, (_, i) => 2 * i + 3));
    const first = await takeMessages(
      fixture.client.exportOrderChanges({ filter: paid, options: { cursor, chunkSize: 4 } }),
      3,
    );
    const seen = first.flatMap((message) => message.rows.map((row) => row.orderId));
    seen.forEach((id) => mirror.set(id, OrderStatus.PAID));
    await setStatus("PAID", 4); // before the cut: must still come, in this or the next round
    const rest = await changesInto(mirror, first.at(-1)!.progress!.cursor);
    const next = await changesInto(mirror, rest.cursor);
    const all = [...seen, ...rest.upserts, ...next.upserts];
    expect(new Set(all).size).toBe(all.length);
    expect(mirror).toEqual(await paidInDatabase());
  });

  it("speaks every format: CSV with its header", async () => {
    const cursor = await exportInto(new Map());
    await setStatus("PAID", 2);
    const messages = await collect(
      fixture.client.exportOrderChanges({ filter: paid, options: { cursor, format: ExportFormat.CSV } }),
    );
    const lines = Buffer.concat(messages.map((message) => message.data))
      .toString()
      .trim()
      .split("\r\n");
    expect(lines).toHaveLength(2);
    expect(lines[1]!.startsWith(`${seededKey(2)},`)).toBe(true);
  });

  it("refuses a missing cursor, a cursor of an unfinished export, and an export resumed with a changes cursor", async () => {
    const code = async (stream: AsyncIterable<unknown>) =>
      ((await streamError(stream)) as grpc.ServiceError | undefined)?.code;
    expect(await code(fixture.client.exportOrderChanges({ filter: paid }))).toBe(
      grpc.status.INVALID_ARGUMENT,
    );
    const [partial] = await takeMessages(
      fixture.client.exportOrders({ filter: paid, options: { chunkSize: 5 } }),
      1,
    );
    expect(
      await code(
        fixture.client.exportOrderChanges({ filter: paid, options: { cursor: partial!.progress!.cursor } }),
      ),
    ).toBe(grpc.status.INVALID_ARGUMENT);
    const changes = await changesInto(new Map(), await exportInto(new Map()));
    expect(
      await code(fixture.client.exportOrders({ filter: paid, options: { cursor: changes.cursor } })),
    ).toBe(grpc.status.INVALID_ARGUMENT);
  });
});
