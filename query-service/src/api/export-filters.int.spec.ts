import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import type {
  ExportFormat,
  OrderExportFilter,
  TaskExportFilter,
  UserExportFilter,
} from "@conveyor/proto/conveyor/query/v1/exports_pb";
import { OrderStatus, UserStatus } from "@conveyor/proto/conveyor/types/v1/types_pb";
import { collect } from "@conveyor/runtime/testing";
import * as grpc from "@grpc/grpc-js";
import type { MessageInitShape } from "@bufbuild/protobuf";
import type {
  OrderExportFilterSchema,
  TaskExportFilterSchema,
  UserExportFilterSchema,
} from "@conveyor/proto/conveyor/query/v1/exports_pb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ExportFixture, startExportFixture } from "../export/testing/export-fixture.ts";
import { streamError } from "../export/testing/export-streams.ts";
import { seededKey, seedOrders, seedTasks, seedUsers } from "../export/testing/seed-read-model.ts";

let fixture: ExportFixture;

beforeAll(async () => {
  fixture = await startExportFixture("export_filters");
  await Promise.all([
    seedOrders(fixture.pool, 700),
    seedTasks(fixture.pool, 400),
    seedUsers(fixture.pool, 300),
  ]);
});
afterAll(() => fixture.stop());

async function sqlKeys(table: string, key: string, where: string): Promise<string[]> {
  const { rows } = await fixture.pool.query<{ key: string }>(
    `SELECT ${key} AS key FROM ${table} WHERE ${where} ORDER BY ${key}`,
  );
  return rows.map((row) => row.key);
}

const keysOf = async (stream: AsyncIterable<{ rows: { [key: string]: unknown }[] }>, key: string) =>
  (await collect(stream)).flatMap((message) => message.rows.map((row) => row[key] as string));

const at = (iso: string) => timestampFromDate(new Date(iso));

describe("export filters agree with the same condition in SQL", () => {
  it.each<[string, MessageInitShape<typeof OrderExportFilterSchema>, string]>([
    ["no filter", {}, "true"],
    [
      "placed from (inclusive)",
      { placedFrom: at("2024-01-10T00:00:00Z") },
      "order_date >= '2024-01-10T00:00:00Z'",
    ],
    [
      "placed to (exclusive)",
      { placedTo: at("2024-01-10T00:00:00Z") },
      "order_date < '2024-01-10T00:00:00Z'",
    ],
    [
      "a date range",
      { placedFrom: at("2024-01-05T00:00:00Z"), placedTo: at("2024-01-20T12:00:00Z") },
      "order_date >= '2024-01-05T00:00:00Z' AND order_date < '2024-01-20T12:00:00Z'",
    ],
    ["statuses", { statuses: [OrderStatus.PAID, OrderStatus.CANCELLED] }, "status IN ('PAID', 'CANCELLED')"],
    [
      "a customer",
      { customerId: seededKey(1_000_003).toUpperCase() },
      `customer_id = '${seededKey(1_000_003)}'`,
    ],
    [
      "everything at once",
      {
        placedFrom: at("2024-01-03T00:00:00Z"),
        statuses: [OrderStatus.PLACED],
        customerId: seededKey(1_000_004),
      },
      `order_date >= '2024-01-03T00:00:00Z' AND status = 'PLACED' AND customer_id = '${seededKey(1_000_004)}'`,
    ],
  ])("orders: %s", async (_name, filter, where) => {
    const expected = await sqlKeys("read_orders", "order_id", where);
    expect(expected.length).toBeGreaterThan(0);
    expect(
      await keysOf(fixture.client.exportOrders({ filter, options: { chunkSize: 64 } }), "orderId"),
    ).toEqual(expected);
  });

  it.each<[string, MessageInitShape<typeof TaskExportFilterSchema>, string]>([
    ["a month", { month: 3 }, "month = 3"],
    ["a category", { category: "b" }, "category = 'b'"],
    ["completed", { completed: true }, "completed"],
    ["not completed", { completed: false }, "NOT completed"],
    [
      "month, category and completion",
      { month: 6, category: "c", completed: false },
      "month = 6 AND category = 'c' AND NOT completed",
    ],
  ])("tasks: %s", async (_name, filter, where) => {
    const expected = await sqlKeys("read_tasks", "task_id", where);
    expect(expected.length).toBeGreaterThan(0);
    expect(await keysOf(fixture.client.exportTasks({ filter }), "taskId")).toEqual(expected);
  });

  it("tasks: a category with a quote is a value, not SQL", async () => {
    expect(
      await keysOf(fixture.client.exportTasks({ filter: { category: "b' OR 'x'='x" } }), "taskId"),
    ).toEqual([]);
  });

  it.each<[string, MessageInitShape<typeof UserExportFilterSchema>, string]>([
    ["one status", { statuses: [UserStatus.SUSPENDED] }, "status = 'SUSPENDED'"],
    [
      "two statuses",
      { statuses: [UserStatus.PENDING, UserStatus.ACTIVE] },
      "status IN ('PENDING', 'ACTIVE')",
    ],
  ])("users: %s", async (_name, filter, where) => {
    const expected = await sqlKeys("read_users", "user_id", where);
    expect(expected.length).toBeGreaterThan(0);
    expect(await keysOf(fixture.client.exportUsers({ filter }), "userId")).toEqual(expected);
  });
});

describe("bad filters and options are INVALID_ARGUMENT naming the field", () => {
  const refusal = async (stream: AsyncIterable<unknown>) => {
    const error = (await streamError(stream)) as grpc.ServiceError | undefined;
    return { code: error?.code, field: error?.metadata.get("x-conveyor-field")?.[0] };
  };
  const invalid = (field: string) => ({ code: grpc.status.INVALID_ARGUMENT, field });

  it.each<[string, MessageInitShape<typeof OrderExportFilterSchema>, string]>([
    ["a customer id that is not a UUID", { customerId: "42" }, "filter.customer_id"],
    [
      "an unspecified status",
      { statuses: [OrderStatus.PAID, OrderStatus.UNSPECIFIED] },
      "filter.statuses[1]",
    ],
    ["an unknown status", { statuses: [99 as OrderStatus] }, "filter.statuses[0]"],
    [
      "an empty date range",
      { placedFrom: at("2024-02-01T00:00:00Z"), placedTo: at("2024-01-01T00:00:00Z") },
      "filter.placed_to",
    ],
  ])("orders: %s", async (_name, filter: OrderExportFilter | object, field) => {
    expect(await refusal(fixture.client.exportOrders({ filter }))).toEqual(invalid(field));
  });

  it("tasks: a month out of 0..12, a NUL in the category", async () => {
    const bad: MessageInitShape<typeof TaskExportFilterSchema>[] = [{ month: 13 }, { month: -1 }];
    for (const filter of bad as TaskExportFilter[])
      expect(await refusal(fixture.client.exportTasks({ filter }))).toEqual(invalid("filter.month"));
    expect(await refusal(fixture.client.exportTasks({ filter: { category: "a\0b" } }))).toEqual(
      invalid("filter.category"),
    );
  });

  it("users: an unspecified status", async () => {
    const filter: UserExportFilter | object = { statuses: [UserStatus.UNSPECIFIED] };
    expect(await refusal(fixture.client.exportUsers({ filter }))).toEqual(invalid("filter.statuses[0]"));
  });

  it("options: a chunk size over the limit, an unknown format", async () => {
    expect(await refusal(fixture.client.exportOrders({ options: { chunkSize: 10_001 } }))).toEqual(
      invalid("options.chunk_size"),
    );
    expect(await refusal(fixture.client.exportOrders({ options: { format: 7 as ExportFormat } }))).toEqual(
      invalid("options.format"),
    );
  });
});
