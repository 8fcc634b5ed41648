import { create, fromBinary } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { ExportOrdersResponseSchema, OrderRowSchema } from "@conveyor/proto/conveyor/query/v1/exports_pb";
import { OrderStatus } from "@conveyor/proto/conveyor/types/v1/types_pb";
import { parse } from "csv-parse/sync";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { orderTable } from "../entities/order-table.ts";
import { CopyTextRow } from "./copy-text-row.ts";
import { csvEncoder } from "./csv-encoder.ts";
import { ndjsonEncoder } from "./ndjson-encoder.ts";
import { OutputBuffer } from "./output-buffer.ts";
import { protoRowEncoder } from "./proto-row-encoder.ts";

/** A text field as PostgreSQL's COPY text format writes it. */
const copyText = (value: string) =>
  value.replace(
    /[\\\n\r\t\b\f\v]/g,
    (c) =>
      ({ "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f", "\v": "\\v" })[c]!,
  );

/** A timestamptz as PostgreSQL prints it with DateStyle=ISO, TimeZone=UTC (microseconds kept only if non-zero). */
const pgTimestamp = (ms: number, micros: number) => {
  const iso = new Date(ms).toISOString().slice(0, 19).replace("T", " ");
  const fraction = (((ms % 1000) + 1000) % 1000) * 1000 + micros;
  return `${iso}${fraction ? `.${String(fraction).padStart(6, "0").replace(/0+$/, "")}` : ""}+00`;
};

const text = fc.string({ unit: "binary", maxLength: 30 }).filter((s) => !s.includes("\0"));
const order = fc.record({
  id: fc.uuid({ version: 7 }),
  ms: fc.integer({ min: Date.UTC(1, 0, 1), max: Date.UTC(9999, 11, 31) }),
  micros: fc.integer({ min: 0, max: 999 }),
  status: fc.constantFrom("PLACED", "PAID", "SHIPPED", "CANCELLED"),
  name: text,
  line1: text,
  items: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
  total: fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
});
type Order = typeof order extends fc.Arbitrary<infer T> ? T : never;

function copyRow(o: Order): Buffer {
  const fields = [
    o.id,
    pgTimestamp(o.ms, o.micros),
    o.status,
    o.id,
    "",
    copyText(o.name),
    String(o.items),
    String(o.total),
  ];
  return Buffer.from(`${[...fields, copyText(o.line1), "", "", "", "DE", pgTimestamp(0, 0)].join("\t")}\n`);
}

function encode(encoder: ReturnType<typeof csvEncoder>, rows: Order[]): Buffer {
  const out = new OutputBuffer(16);
  const row = new CopyTextRow();
  for (const o of rows) {
    row.parse(copyRow(o));
    encoder.encode(row, out);
  }
  return out.take();
}

describe("encoders, on random rows", () => {
  it("typed rows decode as the OrderRow protobuf-es builds from the same values", () => {
    fc.assert(
      fc.property(fc.array(order, { minLength: 1, maxLength: 5 }), (orders) => {
        const bytes = encode(protoRowEncoder(orderTable.columns), orders);
        const decoded = fromBinary(ExportOrdersResponseSchema, bytes).rows;
        expect(decoded).toEqual(
          orders.map((o) =>
            create(OrderRowSchema, {
              orderId: o.id,
              orderDate: {
                ...timestampFromMs(o.ms),
                nanos: (((o.ms % 1000) + 1000) % 1000) * 1e6 + o.micros * 1000,
              },
              status: OrderStatus[o.status as keyof typeof OrderStatus],
              customerId: o.id,
              customerName: o.name,
              itemCount: o.items,
              totalMinor: o.total,
              shippingAddress: { line1: o.line1, country: "DE" },
              lastEventAt: { seconds: 0n, nanos: 0 },
            }),
          ),
        );
      }),
    );
  });

  it("CSV reads back through a CSV parser as the same text", () => {
    fc.assert(
      fc.property(fc.array(order, { minLength: 1, maxLength: 5 }), (orders) => {
        const records = parse<Record<string, string>>(encode(csvEncoder(orderTable.columns), orders), {
          columns: orderTable.columns.map((c) => c.name),
        });
        expect(records.map((r) => [r.customer_name, r.ship_line1, r.total_minor])).toEqual(
          orders.map((o) => [o.name, o.line1, String(o.total)]),
        );
      }),
    );
  });

  it("NDJSON lines parse as JSON with the same text", () => {
    fc.assert(
      fc.property(fc.array(order, { minLength: 1, maxLength: 5 }), (orders) => {
        const lines = encode(ndjsonEncoder(orderTable.columns), orders).toString().split("\n").slice(0, -1);
        expect(
          lines
            .map((line) => JSON.parse(line) as Record<string, unknown>)
            .map((r) => [r.customer_name, r.ship_line1, r.total_minor]),
        ).toEqual(orders.map((o) => [o.name, o.line1, String(o.total)]));
      }),
    );
  });
});
