import { ExportFormat } from "@conveyor/proto/conveyor/query/v1/exports_pb";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type ExportFixture, startExportFixture } from "../testing/export-fixture.ts";
import { liveBufferBytes } from "../testing/forced-gc.ts";
import { seedOrders } from "../testing/seed-read-model.ts";

const rows = 60_000; // about 13 MB of CSV in about 400 messages
const bound = 4 * 1024 * 1024;
let fixture: ExportFixture;

beforeAll(async () => {
  fixture = await startExportFixture("export_steady_reader");
  await seedOrders(fixture.pool, rows);
});
afterAll(() => fixture.stop());

// The paused-client spec covers a client that stops; this one covers a client that keeps taking
// messages but more slowly than PostgreSQL sends rows (here: a collection every few messages). Each
// message taken must not let more rows in than the one it made room for.
it("a client that keeps reading, slower than the database, keeps the server's buffers bounded", async () => {
  const before = liveBufferBytes();
  let peak = 0;
  let messages = 0;
  let last: { rowsSoFar: bigint; done: boolean } | undefined;
  for await (const message of fixture.client.exportOrders({ options: { format: ExportFormat.CSV } })) {
    last = message.progress;
    if (++messages % 10 === 0) peak = Math.max(peak, liveBufferBytes() - before);
  }
  expect(last).toMatchObject({ done: true, rowsSoFar: BigInt(rows) });
  expect(messages).toBeGreaterThan(100);
  expect(peak).toBeLessThan(bound);
});
