import { ExportFormat } from "@conveyor/proto/conveyor/query/v1/exports_pb";
import { afterAll, beforeAll, expect, it } from "vitest";
import { DEFAULT_CHUNK_BYTES } from "../export-format.ts";
import { type ExportFixture, startExportFixture } from "../testing/export-fixture.ts";
import { liveBufferBytes } from "../testing/forced-gc.ts";
import { seedOrders } from "../testing/seed-read-model.ts";

const rows = 120_000; // about 26 MB of CSV in about 400 default-sized messages
/**
 * What the buffers of a steady stream hold, in messages (measured: about 70 of them, client side
 * included, whatever the export's length); a queue that grew with the export would pass it long before
 * the end.
 */
const bound = 128 * DEFAULT_CHUNK_BYTES;
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
  expect(messages).toBeGreaterThan(300);
  expect(peak).toBeLessThan(bound);
});
