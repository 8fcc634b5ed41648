import { randomBytes } from "node:crypto";
import { cpus, loadavg } from "node:os";
import type { DataSource } from "typeorm";
import { CommandService } from "@conveyor/proto/conveyor/command/v1/command_service_pb";
import { createLogger, startGrpcServer } from "@conveyor/runtime";
import { commandRoutes } from "../../command-service/src/api/command-routes.ts";
import { migrateWriteDatabase, openWriteDatabase } from "../../command-service/src/infra/write-database.ts";
import {
  childProcessClient,
  inProcessClient,
  type ClientRequest,
  type PreparedSend,
} from "./batch/bench-clients.ts";
import { benchPostgres } from "./batch/bench-postgres.ts";
import { cpuProfiler } from "./batch/cpu-profile.ts";
import { cpuBetween, cpuTimeMs } from "./batch/cpu-time.ts";

const aggregates = 100;
const perAggregate = 10;
const batchedRuns = 5;
const warmUpBatches = 20;

/** Wall time and CPU time of sending some commands. */
interface Measurement {
  commandsPerSecond: number;
  /**
   * CPU ms per 1,000 commands: this process (the service, and the client unless it has a process of
   * its own), the client's own process if it has one, and the PostgreSQL backends.
   */
  cpuPerThousand: { process: number; client?: number; database: number };
}

/**
 * Batch section: 1,000 commands over 100 aggregates in one BatchExecute, against the same kind of
 * commands sent one RPC each, on the same server in the same run. Kafka is not needed: the outbox
 * rows are written, the relay is not started. The client runs in this process, or with
 * BENCH_BATCH_CLIENT=process in a process of its own (as real clients do; its CPU is then reported
 * apart from the service's).
 */
export async function run(): Promise<void> {
  const postgres = await benchPostgres();
  const database = await postgres.createDatabase(`bench_batch_${randomBytes(4).toString("hex")}`);
  await migrateWriteDatabase(database.url);
  const dataSource = await openWriteDatabase(database.url, 12);
  const logger = createLogger("bench", { LOG_LEVEL: "warn" });
  const routes = commandRoutes({ dataSource, logger });
  const server = await startGrpcServer({
    host: "127.0.0.1",
    port: 0,
    routes,
    services: [CommandService],
    logger,
  });
  const address = `127.0.0.1:${server.port}`;
  const client =
    process.env.BENCH_BATCH_CLIENT === "process" ? childProcessClient(address) : inProcessClient(address);
  const workload = (mode: ClientRequest["mode"], count = aggregates) =>
    client.prepare({ mode, aggregates: count, perAggregate });
  try {
    // Warm-up, so that the figures are those of a service that has been running: its hot paths compiled
    // by the JIT, and its pooled connections past PostgreSQL's first five executions of each prepared
    // statement (planned afresh each time; from then on one generic plan is reused).
    for (let i = 0; i < warmUpBatches; i += 1) await workload("batched")();
    await workload("one-by-one", 20)();
    const profiled = cpuProfiler(process.env.BENCH_BATCH_CPU_PROF);
    const runs = await profiled("batched", async () => {
      const measured: Measurement[] = [];
      for (let i = 0; i < batchedRuns; i += 1) measured.push(await measure(dataSource, workload("batched")));
      return measured;
    });
    const oneByOne = await profiled("one-by-one", () => measure(dataSource, workload("one-by-one")));
    report(`${postgres.description}; ${client.description}`, runs, oneByOne);
  } finally {
    await client.close();
    await server.close();
    await dataSource.destroy();
    await database.drop();
    await postgres.stop();
  }
}

async function measure(dataSource: DataSource, send: PreparedSend): Promise<Measurement> {
  const commands = aggregates * perAggregate;
  const cpuBefore = await cpuTimeMs(dataSource);
  const { seconds, clientCpuMs } = await send();
  const cpu = cpuBetween(cpuBefore, await cpuTimeMs(dataSource));
  const perThousand = (ms: number) => (ms * 1000) / commands;
  return {
    commandsPerSecond: commands / seconds,
    cpuPerThousand: {
      process: perThousand(cpu.process),
      ...(clientCpuMs !== undefined && { client: perThousand(clientCpuMs) }),
      database: perThousand(cpu.database),
    },
  };
}

function report(setup: string, runs: Measurement[], oneByOne: Measurement): void {
  const batched = runs.toSorted((a, b) => a.commandsPerSecond - b.commandsPerSecond)[
    Math.floor(runs.length / 2)
  ]!;
  const cores = cpus().length;
  const line = (label: string, m: Measurement, note: string) => {
    const { process, client, database } = m.cpuPerThousand;
    const nodeCpu =
      client === undefined
        ? `${format(process)} ms service+client`
        : `${format(process)} ms service, ${format(client)} ms client`;
    const ceiling = (1000 * 1000) / ((process + (client ?? 0) + database) / cores);
    console.log(
      `  ${label.padEnd(11)} ${format(m.commandsPerSecond).padStart(7)} commands/s  ${note}\n` +
        `              CPU per 1,000 commands: ${nodeCpu}, ${format(database)} ms PostgreSQL` +
        ` (all ${cores} cores busy with nothing else: ~${format(ceiling)} commands/s)`,
    );
  };
  console.log(`batch: ${aggregates * perAggregate} commands over ${aggregates} aggregates`);
  console.log(`  server: ${setup}; load average ${loadavg()[0]!.toFixed(1)} on ${cores} cores`);
  // CPU per command from all runs together: one run's figure swings with whatever GC or autovacuum fell into it.
  const mean = (of: (m: Measurement) => number | undefined) =>
    runs.reduce((sum, m) => sum + (of(m) ?? 0), 0) / runs.length;
  const cpu = batched.cpuPerThousand;
  const overall = {
    ...batched,
    cpuPerThousand: {
      process: mean((m) => m.cpuPerThousand.process),
      ...(cpu.client !== undefined && { client: mean((m) => m.cpuPerThousand.client) }),
      database: mean((m) => m.cpuPerThousand.database),
    },
  };
  line("batched", overall, `(median of ${runs.map((m) => format(m.commandsPerSecond)).join(", ")})`);
  line("one by one", oneByOne, "(one BatchExecute RPC per command, sequential)");
  const ratio = batched.commandsPerSecond / oneByOne.commandsPerSecond;
  console.log(
    `  ratio       ${ratio.toFixed(1)}x  (targets: 20,000 commands/s batched, at least 10x one by one)`,
  );
}

function format(value: number): string {
  return Math.round(value).toLocaleString("en-US");
}
