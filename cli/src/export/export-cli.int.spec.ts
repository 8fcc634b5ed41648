import { mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sizeDelimitedDecodeStream } from "@bufbuild/protobuf/wire";
import { ExportFormat, OrderRowSchema } from "@conveyor/proto/conveyor/query/v1/exports_pb";
import { OrderStatus } from "@conveyor/proto/conveyor/types/v1/types_pb";
import { collect } from "@conveyor/runtime/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type ExportFixture,
  startExportFixture,
} from "../../../query-service/src/export/testing/export-fixture.ts";
import { seededKey, seedOrders } from "../../../query-service/src/export/testing/seed-read-model.ts";
import type { Checkpoint } from "./checkpointed-file.ts";
import type { ExportCommandOptions } from "./export-options.ts";
import { runExport } from "./run-export.ts";

const total = 2_000;
let fixture: ExportFixture;
let dir: string;
let reference: Buffer;
const quiet = { write: () => true };

beforeAll(async () => {
  fixture = await startExportFixture("export_cli");
  await seedOrders(fixture.pool, total);
  dir = await mkdtemp(join(tmpdir(), "conveyor-export-"));
  const messages = await collect(fixture.client.exportOrders({ options: { format: ExportFormat.CSV } }));
  reference = Buffer.concat(messages.map((message) => message.data));
});
afterAll(async () => {
  await fixture.stop();
  await rm(dir, { recursive: true, force: true });
});

const options = (out: string, overrides: Partial<ExportCommandOptions> = {}): ExportCommandOptions => ({
  target: "orders",
  format: ExportFormat.CSV,
  out: join(dir, out),
  resume: false,
  parallel: 1,
  url: `http://${fixture.address}`,
  filter: {},
  chunkSize: 50,
  consistencyToken: "",
  ...overrides,
});

describe("conveyor export", () => {
  it("writes the CSV the server streams and the final cursor beside it", async () => {
    const outcome = await runExport(options("all.csv"), quiet, new AbortController().signal);
    expect(outcome.rows).toBe(total);
    expect(await readFile(join(dir, "all.csv"))).toEqual(reference);
    const checkpoint = JSON.parse(await readFile(join(dir, "all.csv.cursor"), "utf8")) as Checkpoint;
    expect(checkpoint).toMatchObject({
      done: true,
      rows: total,
      bytes: reference.length,
      cursor: outcome.cursors[0],
    });
  });

  it("--resume continues from the checkpoint and drops bytes written after it", async () => {
    const [first, second] = await collect(
      fixture.client.exportOrders({ options: { format: ExportFormat.CSV, chunkSize: 50 } }),
    );
    const flushed = Buffer.concat([first!.data, second!.data]);
    const out = join(dir, "resumed.csv");
    await writeFile(
      out,
      Buffer.concat([flushed, Buffer.from("half a line that never made it to a checkpoi")]),
    );
    await writeFile(
      `${out}.cursor`,
      JSON.stringify({ cursor: second!.progress!.cursor, bytes: flushed.length, rows: 100, done: false }),
    );
    const outcome = await runExport(
      options("resumed.csv", { resume: true }),
      quiet,
      new AbortController().signal,
    );
    expect(outcome.rows).toBe(total);
    expect(await readFile(out)).toEqual(reference);
  });

  it("--parallel N joins the parts into the same file and cleans up", async () => {
    await fixture.pool.query("ANALYZE read_orders");
    const outcome = await runExport(
      options("parallel.csv", { parallel: 3 }),
      quiet,
      new AbortController().signal,
    );
    expect(outcome).toMatchObject({ rows: total });
    expect(outcome.cursors).toHaveLength(3);
    expect(await readFile(join(dir, "parallel.csv"))).toEqual(reference);
    expect((await readdir(dir)).filter((name) => name.startsWith("parallel.csv")).sort()).toEqual([
      "parallel.csv",
      "parallel.csv.cursor",
    ]);
  });

  it("--format rows writes size-delimited protobuf rows, with the filter applied", async () => {
    const out = join(dir, "paid.rows");
    await runExport(
      options("paid.rows", { format: ExportFormat.ROWS, filter: { statuses: ["ORDER_STATUS_PAID"] } }),
      quiet,
      new AbortController().signal,
    );
    const rows = [];
    for await (const row of sizeDelimitedDecodeStream(
      OrderRowSchema,
      (async function* () {
        yield await readFile(out);
      })(),
    ))
      rows.push(row);
    expect(rows.map((row) => row.orderId)).toEqual(
      Array.from({ length: total / 4 }, (_, i) => seededKey(4 * i + 1)),
    );
    expect(rows.every((row) => row.status === OrderStatus.PAID)).toBe(true);
  });
});
