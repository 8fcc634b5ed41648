// `npm run bench export`: export throughput and server memory against COPY (the physical limit) and
// OFFSET pagination (the naive way), on read models of EXPORT_BENCH_ROWS orders (default 1000000,10000000).
import { gzipSync } from "node:zlib";
import { ExportFormat } from "@conveyor/proto/conveyor/query/v1/exports_pb";
import { EXPORT_APPLICATION_NAME } from "../../query-service/src/export/export-service.ts";
import { benchReadDatabase } from "./export/bench-database.ts";
import { BackendCpu } from "./export/cpu-meter.ts";
import {
  copyBaseline,
  grpcExport,
  lastOffsetPageSeconds,
  offsetBaseline,
  type Run,
} from "./export/export-clients.ts";
import { startServerProcess } from "./export/server-process.ts";

const sizes = (process.env.EXPORT_BENCH_ROWS ?? "1000000,10000000").split(",").map(Number);
const offsetBudgetSeconds = Number(process.env.EXPORT_BENCH_OFFSET_SECONDS ?? 60);
const formats = [
  ["typed rows", ExportFormat.ROWS, 0.5],
  ["CSV", ExportFormat.CSV, 0.8],
  ["NDJSON", ExportFormat.NDJSON, 0.8],
] as const;

export async function run(): Promise<void> {
  for (const rows of sizes) await benchSize(rows);
}

async function benchSize(rows: number): Promise<void> {
  const database = await benchReadDatabase(rows);
  const server = await startServerProcess(database.url);
  const backends = await BackendCpu.connect(database.url, EXPORT_APPLICATION_NAME);
  try {
    console.log(
      `export: ${count(rows)} read_orders rows (${database.description}; server in a child process)`,
    );
    await grpcExport(server.port, ExportFormat.CSV); // warm-up: JIT, buffer cache
    const copy = await copyBaseline(database.url, rows);
    line("COPY ... TO STDOUT (psql)", copy, copy);
    for (const [name, format, target] of formats) {
      await server.resetPeak();
      const [backendBefore, serverBefore] = [await backends.sample(), await server.cpuSeconds()];
      const result = await grpcExport(server.port, format);
      if (result.rows !== rows)
        throw new Error(`${name} export streamed ${result.rows} rows, expected ${rows}`);
      const peak = await server.peakRss();
      const cpu = {
        server: (await server.cpuSeconds()) - serverBefore,
        client: result.clientCpuSeconds ?? Number.NaN,
        database: await backends.since(backendBefore),
      };
      line(
        `ExportOrders ${name}`,
        result,
        copy,
        `target >= ${target}x; server peak RSS ${mb(peak)} (target < 200 MB); ${cpuPerRow(cpu, rows)}`,
      );
    }
    const offset = await offsetBaseline(database.url, rows, offsetBudgetSeconds);
    const lastPage = await lastOffsetPageSeconds(database.url, rows);
    line(
      `OFFSET pages of 1000`,
      offset,
      copy,
      `${offset.complete ? "all rows" : `stopped after ${offsetBudgetSeconds} s at row ${count(offset.rows)}`}; the last page alone takes ${lastPage.toFixed(2)} s`,
    );
    gzipCost(rows);
  } finally {
    await backends.close();
    await server.stop();
    await database.stop();
  }
}

function line(name: string, result: Run, copy: Run, note = ""): void {
  const rate = result.rows / result.seconds;
  const ratio = rate / (copy.rows / copy.seconds);
  console.log(
    `  ${name.padEnd(28)} ${count(Math.round(rate)).padStart(10)} rows/s  ${result.seconds.toFixed(1).padStart(6)} s  ${ratio.toFixed(2)}x COPY  ${note}`,
  );
}

/** What response compression would add: gzip of 32 KiB CSV-like messages, as connect-node would compress them. */
function gzipCost(rows: number): void {
  const message = Buffer.from(
    Array.from(
      { length: 150 },
      (_, i) =>
        `01900000-0000-7000-8000-${String(i).padStart(12, "0")},2024-01-01T00:00:0${i % 10}Z,PAID,01800000-0000-7000-8000-000000000042,customer42@example.com,Customer 42,3,1554,${i} Main Street,,Berlin,00042,DE,2024-06-01T00:00:00.042Z\r\n`,
    ).join(""),
  );
  const started = performance.now();
  for (let i = 0; i < 100; i++) gzipSync(message);
  const perMessage = (performance.now() - started) / 1000 / 100;
  console.log(
    `  gzip (compression on)        would add ~${(perMessage * (rows / 150)).toFixed(1)} s of server CPU for the CSV export (not used)`,
  );
}

/**
 * CPU per row of the export server, the bench client and the PostgreSQL backend: what decides the
 * ratio on a busy machine, where all three share the cores.
 */
function cpuPerRow(cpu: { server: number; client: number; database: number }, rows: number): string {
  const us = (seconds: number) => ((seconds / rows) * 1e6).toFixed(2);
  return `CPU µs/row: server ${us(cpu.server)}, client ${us(cpu.client)}, PostgreSQL ${us(cpu.database)}`;
}

const count = (value: number) => value.toLocaleString("en-US");
const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;
