import { timestampDate } from "@bufbuild/protobuf/wkt";
import { createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { ExportFormat } from "@conveyor/proto/conveyor/query/v1/exports_pb";
import { QueryService } from "@conveyor/proto/conveyor/query/v1/query_service_pb";
import { OrderStatus, UserStatus } from "@conveyor/proto/conveyor/types/v1/types_pb";
import { collect } from "@conveyor/runtime/testing";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ExportFixture, startExportFixture } from "../export/testing/export-fixture.ts";
import { collectData } from "../export/testing/export-streams.ts";
import { seededKey, seedTasks, seedUsers } from "../export/testing/seed-read-model.ts";

/** Values a CSV or JSON writer must escape, and text that must pass through untouched. */
const awkward = [
  "Doe, Jane",
  'The "Best" Shop',
  "line one\nline two",
  "windows\r\nline",
  "Zoë 北京 🚀 ünïcödé",
  "C:\\path\\to",
  "tab\there",
  "",
  'ends with quote"',
  "bell\u0007 and nul-free control\u001f",
];

interface OrderSqlRow {
  order_id: string;
  order_date: Date;
  status: string;
  customer_id: string;
  customer_email: string;
  customer_name: string;
  item_count: number;
  total_minor: string;
  ship_line1: string;
  ship_line2: string;
  ship_city: string;
  ship_postal_code: string;
  ship_country: string;
  last_event_at: Date;
}

let fixture: ExportFixture;
let orders: OrderSqlRow[];

beforeAll(async () => {
  fixture = await startExportFixture("export_formats");
  await fixture.pool.query(
    `INSERT INTO read_orders (order_id, order_date, status, customer_id, customer_email, customer_name, item_count,
       total_minor, ship_line1, ship_line2, ship_city, ship_postal_code, ship_country, last_event_at, version)
     SELECT ('01900000-0000-7000-8000-' || lpad(to_hex(i), 12, '0'))::uuid,
       timestamptz '2024-02-29 23:59:59.123456+00' + i * interval '1 day', (ARRAY['PLACED','PAID','SHIPPED','CANCELLED'])[1 + i % 4],
       '01900000-0000-7000-8000-999999999999', 'a' || i || '@example.com', v, i, (i * 9007199254740993)::bigint % 9223372036854775807,
       v, reverse(v), v || v, '', 'DE', timestamptz '1999-12-31 23:59:59+00', 1
     FROM unnest($1::text[]) WITH ORDINALITY AS t(v, i)`,
    [awkward],
  );
  orders = (await fixture.pool.query<OrderSqlRow>("SELECT * FROM read_orders ORDER BY order_id")).rows;
  await seedTasks(fixture.pool, 30);
  await seedUsers(fixture.pool, 30);
});
afterAll(() => fixture.stop());

describe("ExportOrders formats", () => {
  it("typed rows carry every column of every row, in key order", async () => {
    const messages = await collect(
      fixture.client.exportOrders({ options: { format: ExportFormat.ROWS, chunkSize: 3 } }),
    );
    const rows = messages.flatMap((message) => message.rows);
    expect(rows).toHaveLength(orders.length);
    rows.forEach((row, i) => {
      const sql = orders[i]!;
      expect(row).toMatchObject({
        orderId: sql.order_id,
        status: OrderStatus[sql.status as keyof typeof OrderStatus],
        customerId: sql.customer_id,
        customerEmail: sql.customer_email,
        customerName: sql.customer_name,
        itemCount: sql.item_count,
        totalMinor: BigInt(sql.total_minor),
        shippingAddress: {
          line1: sql.ship_line1,
          line2: sql.ship_line2,
          city: sql.ship_city,
          postalCode: "",
          country: "DE",
        },
      });
      expect(timestampDate(row.orderDate!)).toEqual(sql.order_date);
      expect(row.orderDate!.nanos).toBe(123_456_000);
      expect(timestampDate(row.lastEventAt!)).toEqual(sql.last_event_at);
    });
    expect(messages.at(-1)?.progress).toMatchObject({ done: true, rowsSoFar: BigInt(orders.length) });
  });

  it("CSV is RFC 4180: header first, CRLF records, awkward text read back unchanged by a CSV parser", async () => {
    const csv = await collectData(
      fixture.client.exportOrders({ options: { format: ExportFormat.CSV, chunkSize: 4 } }),
    );
    const text = csv.toString("utf8");
    expect(
      text.startsWith("order_id,order_date,status,customer_id,customer_email,customer_name,item_count,"),
    ).toBe(true);
    expect(text.endsWith("\r\n")).toBe(true);
    const records = parse<Record<string, string>>(csv, { columns: true, record_delimiter: "\r\n" });
    expect(records).toHaveLength(orders.length);
    records.forEach((record, i) => {
      const sql = orders[i]!;
      expect(record).toMatchObject({
        order_id: sql.order_id,
        status: sql.status,
        customer_name: sql.customer_name,
        ship_line1: sql.ship_line1,
        ship_line2: sql.ship_line2,
        ship_city: sql.ship_city,
        total_minor: sql.total_minor,
        item_count: String(sql.item_count),
      });
      expect(new Date(record.order_date!).getTime()).toBe(sql.order_date.getTime());
      expect(record.last_event_at).toBe("1999-12-31T23:59:59Z");
    });
  });

  it("NDJSON has one JSON object per line, int64 as strings, times in RFC 3339", async () => {
    const ndjson = await collectData(
      fixture.client.exportOrders({ options: { format: ExportFormat.NDJSON } }),
    );
    const lines = ndjson.toString("utf8").split("\n");
    expect(lines.pop()).toBe("");
    const objects = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(objects.map((object) => object.customer_name)).toEqual(orders.map((order) => order.customer_name));
    expect(objects.map((object) => object.total_minor)).toEqual(orders.map((order) => order.total_minor));
    expect(objects[0]).toMatchObject({
      item_count: 1,
      order_date: "2024-03-01T23:59:59.123456Z",
      ship_country: "DE",
    });
  });

  it("serves typed rows to JSON clients too (Connect protocol with the JSON codec)", async () => {
    const client = createClient(
      QueryService,
      createConnectTransport({
        baseUrl: `http://${fixture.address}`,
        httpVersion: "1.1",
        useBinaryFormat: false,
      }),
    );
    const rows = (await collect(client.exportOrders({ options: { chunkSize: 4 } }))).flatMap(
      (message) => message.rows,
    );
    expect(rows.map((row) => row.customerName)).toEqual(orders.map((order) => order.customer_name));
  });
});

describe("ExportTasks and ExportUsers formats", () => {
  it("typed task rows leave a NULL execution date unset", async () => {
    const rows = (await collect(fixture.client.exportTasks({}))).flatMap((message) => message.rows);
    expect(rows).toHaveLength(30);
    expect(rows[0]).toMatchObject({
      taskId: seededKey(1),
      title: "Task 1",
      month: 2,
      category: "b",
      completed: false,
    });
    expect(rows[0]!.executionDate).toBeUndefined();
    expect(timestampDate(rows[1]!.executionDate!)).toEqual(new Date("2025-01-03T00:00:00Z"));
    expect(rows[2]).toMatchObject({ completed: true });
  });

  it("typed user rows carry roles (text[]) and statuses", async () => {
    const rows = (await collect(fixture.client.exportUsers({}))).flatMap((message) => message.rows);
    expect(rows.slice(0, 3).map((row) => [row.status, row.roles, row.lifetimeValueMinor])).toEqual([
      [UserStatus.ACTIVE, ["admin"], 1000n],
      [UserStatus.SUSPENDED, ["ops", "a b", 'x"y,z'], 2000n],
      [UserStatus.PENDING, [], 3000n],
    ]);
  });

  it("CSV spells booleans true/false, NULL as an empty field and text arrays as JSON", async () => {
    const tasks = parse<Record<string, string>>(
      await collectData(fixture.client.exportTasks({ options: { format: ExportFormat.CSV } })),
      {
        columns: true,
      },
    );
    expect(tasks.slice(0, 3).map((task) => [task.completed, task.execution_date])).toEqual([
      ["false", ""],
      ["false", "2025-01-03T00:00:00Z"],
      ["true", ""],
    ]);
    const users = parse<Record<string, string>>(
      await collectData(fixture.client.exportUsers({ options: { format: ExportFormat.CSV } })),
      {
        columns: true,
      },
    );
    expect(users.slice(0, 3).map((user) => JSON.parse(user.roles!) as unknown)).toEqual([
      ["admin"],
      ["ops", "a b", 'x"y,z'],
      [],
    ]);
  });

  it("NDJSON spells NULL as null and booleans as JSON booleans", async () => {
    const lines = (
      await collectData(fixture.client.exportTasks({ options: { format: ExportFormat.NDJSON } }))
    )
      .toString()
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines[0]).toMatchObject({
      task_id: seededKey(1),
      completed: false,
      execution_date: null,
      month: 2,
    });
  });
});
