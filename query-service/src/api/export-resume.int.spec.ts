import { ExportFormat, OrderRowSchema } from "@conveyor/proto/conveyor/query/v1/exports_pb";
import { OrderStatus } from "@conveyor/proto/conveyor/types/v1/types_pb";
import { collect } from "@conveyor/runtime/testing";
import * as grpc from "@grpc/grpc-js";
import { fromBinary, toBinary } from "@bufbuild/protobuf";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ExportFixture, startExportFixture } from "../export/testing/export-fixture.ts";
import { collectData, streamError, takeMessages } from "../export/testing/export-streams.ts";
import { seededKey, seedOrders, seedTasks } from "../export/testing/seed-read-model.ts";

const total = 500;
let fixture: ExportFixture;
const allKeys = Array.from({ length: total }, (_, i) => seededKey(i + 1));

beforeAll(async () => {
  fixture = await startExportFixture("export_resume");
  await seedOrders(fixture.pool, total);
  await seedTasks(fixture.pool, 10);
});
afterAll(() => fixture.stop());

/** A seeded random generator, so a failure names the seed that reproduces it. */
function random(seed: number): () => number {
  let state = seed;
  return () => ((state = (state * 1_103_515_245 + 12_345) % 2 ** 31), state / 2 ** 31);
}

describe("resuming an export", () => {
  it.each([1, 2, 3, 4, 5])(
    "yields exactly the remaining rows after cuts at random points (seed %i)",
    async (seed) => {
      const next = random(seed);
      const chunkSize = 5 + Math.floor(next() * 40);
      const received: string[] = [];
      let cursor = "";
      let done = false;
      while (!done) {
        const cutAfter = 1 + Math.floor(next() * 6);
        const messages = await takeMessages(
          fixture.client.exportOrders({ options: { chunkSize, cursor } }),
          cutAfter,
        );
        received.push(...messages.flatMap((message) => message.rows.map((row) => row.orderId)));
        const last = messages.at(-1)!.progress!;
        cursor = last.cursor;
        expect(last.rowsSoFar).toBe(BigInt(received.length));
        done = last.done;
      }
      expect(received).toEqual(allKeys);
    },
  );

  it("continues CSV without repeating the header", async () => {
    const [first] = await takeMessages(
      fixture.client.exportOrders({ options: { format: ExportFormat.CSV, chunkSize: 100 } }),
      1,
    );
    const rest = await collectData(
      fixture.client.exportOrders({
        options: { format: ExportFormat.CSV, chunkSize: 100, cursor: first!.progress!.cursor },
      }),
    );
    const lines = Buffer.concat([first!.data, rest]).toString().trim().split("\r\n");
    expect(lines.filter((line) => line.startsWith("order_id,"))).toHaveLength(1);
    expect(lines.slice(1).map((line) => line.slice(0, 36))).toEqual(allKeys);
  });

  it("a final cursor resumes to an immediate end", async () => {
    const messages = await collect(fixture.client.exportOrders({ options: { chunkSize: 1000 } }));
    const again = await collect(
      fixture.client.exportOrders({ options: { cursor: messages.at(-1)!.progress!.cursor } }),
    );
    expect(again).toHaveLength(1);
    expect(again[0]).toMatchObject({ rows: [], progress: { done: true, rowsSoFar: BigInt(total) } });
  });
});

describe("cursors are tamper-evident and bound to their export", () => {
  let cursor: string;
  beforeAll(async () => {
    const [message] = await takeMessages(
      fixture.client.exportOrders({ filter: { statuses: [OrderStatus.PAID] }, options: { chunkSize: 10 } }),
      1,
    );
    cursor = message!.progress!.cursor;
  });

  const refusal = async (stream: AsyncIterable<unknown>) => {
    const error = (await streamError(stream)) as grpc.ServiceError | undefined;
    return {
      code: error?.code,
      field: error?.metadata.get("x-conveyor-field"),
      details: decodeURIComponent(error?.details ?? ""),
    };
  };

  it("refuses an altered cursor with INVALID_ARGUMENT on options.cursor", async () => {
    const [body, mac] = cursor.split(".") as [string, string];
    const payload = JSON.parse(Buffer.from(body, "base64url").toString()) as { after: string };
    payload.after = seededKey(400);
    const forged = `${Buffer.from(JSON.stringify(payload)).toString("base64url")}.${mac}`;
    const flipped = `${cursor.slice(0, -2)}${cursor.at(-2) === "A" ? "B" : "A"}${cursor.at(-1)}`;
    for (const bad of [forged, flipped, "not a cursor", `${body}.`])
      expect(
        await refusal(
          fixture.client.exportOrders({ filter: { statuses: [OrderStatus.PAID] }, options: { cursor: bad } }),
        ),
      ).toMatchObject({
        code: grpc.status.INVALID_ARGUMENT,
        field: ["options.cursor"],
      });
  });

  it("refuses a cursor of another filter or another export type", async () => {
    const otherFilter = await refusal(
      fixture.client.exportOrders({ filter: { statuses: [OrderStatus.SHIPPED] }, options: { cursor } }),
    );
    expect(otherFilter).toMatchObject({ code: grpc.status.INVALID_ARGUMENT, field: ["options.cursor"] });
    expect(otherFilter.details).toContain("another filter");
    const otherType = await refusal(fixture.client.exportTasks({ options: { cursor } }));
    expect(otherType).toMatchObject({ code: grpc.status.INVALID_ARGUMENT, field: ["options.cursor"] });
    expect(otherType.details).toContain("orders, not tasks");
  });

  it("accepts the same filter spelled differently (statuses in another order, repeated)", async () => {
    const filter = { statuses: [OrderStatus.PAID, OrderStatus.PAID] };
    const rows = (await collect(fixture.client.exportOrders({ filter, options: { cursor } }))).flatMap(
      (m) => m.rows,
    );
    expect(rows.length).toBe(total / 4 - 10);
  });
});

describe("typed rows on the wire", () => {
  it("decode as standard OrderRow messages (the bytes protobuf-es itself would write)", async () => {
    const [message] = await takeMessages(fixture.client.exportOrders({ options: { chunkSize: 2 } }), 1);
    for (const row of message!.rows)
      expect(fromBinary(OrderRowSchema, toBinary(OrderRowSchema, row))).toEqual(row);
  });
});
