import { spawn } from "node:child_process";
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { BinaryReader, WireType } from "@bufbuild/protobuf/wire";
import {
  type ExportFormat,
  ExportOrdersRequestSchema,
  ExportProgressSchema,
} from "@conveyor/proto/conveyor/query/v1/exports_pb";
import * as grpc from "@grpc/grpc-js";
import pg from "pg";

export interface Run {
  rows: number;
  seconds: number;
  /** CPU seconds this process spent receiving (the bench client), where measured. */
  clientCpuSeconds?: number;
}

/** The same rows in the same order as the export: what COPY and OFFSET pagination read. */
export const orderColumns =
  "order_id, order_date, status, customer_id, customer_email, customer_name, item_count, total_minor, ship_line1, ship_line2, ship_city, ship_postal_code, ship_country, last_event_at";

/**
 * The client's HTTP/2 receive window (stream and connection). Node's default, 64 KiB, lets the server
 * send two 32 KiB messages per round trip of WINDOW_UPDATE, so on a loaded machine the export waits on
 * the client's scheduling, not on its own work; bulk clients raise it (grpc-go and grpc-java grow theirs
 * by bandwidth-delay estimation to several MiB). EXPORT_BENCH_WINDOW_BYTES overrides it.
 */
const receiveWindowBytes = Number(process.env.EXPORT_BENCH_WINDOW_BYTES ?? 4 * 1024 * 1024);

/**
 * ExportOrders through a grpc-js client that keeps each message's bytes undecoded except the
 * progress field (rows counted from rows_so_far): the client costs next to nothing, like psql writing to
 * /dev/null, so the figure is the server's.
 */
export async function grpcExport(port: number, format: ExportFormat): Promise<Run> {
  const client = new grpc.Client(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), {
    "grpc-node.flow_control_window": receiveWindowBytes,
  });
  const request = create(ExportOrdersRequestSchema, { options: { format } });
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  let rows = 0;
  const call = client.makeServerStreamRequest(
    "/conveyor.query.v1.QueryService/ExportOrders",
    () => Buffer.from(toBinary(ExportOrdersRequestSchema, request)),
    (bytes: Buffer) => bytes,
    request,
  );
  for await (const message of call as AsyncIterable<Buffer>) rows = rowsSoFar(message) ?? rows;
  client.close();
  const cpu = process.cpuUsage(cpuBefore);
  return {
    rows,
    seconds: (performance.now() - started) / 1000,
    clientCpuSeconds: (cpu.user + cpu.system) / 1e6,
  };
}

function rowsSoFar(message: Uint8Array): number | undefined {
  const reader = new BinaryReader(message);
  while (reader.pos < reader.len) {
    const [field, wireType] = reader.tag();
    if (field === 3 && wireType === WireType.LengthDelimited)
      return Number(fromBinary(ExportProgressSchema, reader.bytes()).rowsSoFar);
    reader.skip(wireType);
  }
  return undefined;
}

/** `COPY (the export's query) TO STDOUT` through psql into /dev/null: the physical limit. */
export async function copyBaseline(url: string, rows: number): Promise<Run> {
  const sql = `COPY (SELECT ${orderColumns} FROM read_orders ORDER BY order_id) TO STDOUT (FORMAT csv)`;
  const started = performance.now();
  await new Promise<void>((resolve, reject) => {
    const psql = spawn("/usr/bin/psql", [url, "-q", "-c", sql], { stdio: ["ignore", "ignore", "inherit"] });
    psql
      .once("error", reject)
      .once("exit", (code) => (code === 0 ? resolve() : reject(new Error(`psql exited with ${code}`))));
  });
  return { rows, seconds: (performance.now() - started) / 1000 };
}

/**
 * The naive way: LIMIT/OFFSET pages of parsed row objects, until every row is read or `budgetSeconds`
 * pass (each page rescans everything before it, so the whole table can take hours).
 */
export async function offsetBaseline(
  url: string,
  rows: number,
  budgetSeconds: number,
  pageSize = 1000,
): Promise<Run & { complete: boolean }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const started = performance.now();
  let read = 0;
  try {
    while (read < rows && performance.now() - started < budgetSeconds * 1000) {
      const page = await client.query(
        `SELECT ${orderColumns} FROM read_orders ORDER BY order_id LIMIT $1 OFFSET $2`,
        [pageSize, read],
      );
      if (page.rows.length === 0) break;
      read += page.rows.length;
    }
  } finally {
    await client.end();
  }
  return { rows: read, seconds: (performance.now() - started) / 1000, complete: read >= rows };
}

/** How long OFFSET pagination takes for one page at the end of the table: the cost of the last page. */
export async function lastOffsetPageSeconds(url: string, rows: number, pageSize = 1000): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const started = performance.now();
    await client.query(`SELECT ${orderColumns} FROM read_orders ORDER BY order_id LIMIT $1 OFFSET $2`, [
      pageSize,
      rows - pageSize,
    ]);
    return (performance.now() - started) / 1000;
  } finally {
    await client.end();
  }
}
