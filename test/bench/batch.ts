import { randomBytes } from "node:crypto";
import { cpus, loadavg } from "node:os";
import type { DataSource } from "typeorm";
import { CommandService } from "@conveyor/proto/conveyor/command/v1/command_service_pb";
import type { Command } from "@conveyor/proto/conveyor/command/v1/commands_pb";
import { createLogger, startGrpcServer } from "@conveyor/runtime";
import { createGrpcJsClient, type GrpcJsClient } from "@conveyor/runtime/testing";
import { commandRoutes } from "../../command-service/src/api/command-routes.ts";
import { migrateWriteDatabase, openWriteDatabase } from "../../command-service/src/infra/write-database.ts";
import { benchPostgres } from "./batch/bench-postgres.ts";
import { cpuProfiler } from "./batch/cpu-profile.ts";
import { cpuBetween, cpuTimeMs } from "./batch/cpu-time.ts";
import { mixedWorkload } from "./batch/workload.ts";

const aggregates = 100;
const perAggregate = 10;
const batchedRuns = 5;
const warmUpBatches = 20;

type Client = GrpcJsClient<typeof CommandService>;

/** Wall time and CPU time of sending some commands. */
interface Measurement {
  commandsPerSecond: number;
  /** CPU ms per 1,000 commands: this process (service and client) and the PostgreSQL backends. */
  cpuPerThousand: { process: number; database: number };
}

/**
 * Batch section: 1,000 commands over 100 aggregates in one BatchExecute, against the same kind of
 * commands sent one RPC each, on the same server in the same run. Kafka is not needed: the outbox
 * rows are written, the relay is not started.
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
  const client = createGrpcJsClient(CommandService, `127.0.0.1:${server.port}`);
  try {
    // Warm-up, so that the figures are those of a service that has been running: its hot paths compiled
    // by the JIT, and its pooled connections past PostgreSQL's first five executions of each prepared
    // statement (planned afresh each time; from then on one generic plan is reused).
    for (let i = 0; i < warmUpBatches; i += 1)
      await sendBatched(client, mixedWorkload(aggregates, perAggregate));
    await sendOneByOne(client, mixedWorkload(20, perAggregate));
    const profiled = cpuProfiler(process.env.BENCH_BATCH_CPU_PROF);
    const runs = await profiled("batched", async () => {
      const measured: Measurement[] = [];
      for (let i = 0; i < batchedRuns; i += 1)
        measured.push(
          await measure(dataSource, client, mixedWorkload(aggregates, perAggregate), sendBatched),
        );
      return measured;
    });
    const oneByOne = await profiled("one-by-one", () =>
      measure(dataSource, client, mixedWorkload(aggregates, perAggregate), sendOneByOne),
    );
    report(postgres.description, runs, oneByOne);
  } finally {
    client.close();
    await server.close();
    await dataSource.destroy();
    await database.drop();
    await postgres.stop();
  }
}

async function measure(
  dataSource: DataSource,
  client: Client,
  commands: Command[],
  send: (client: Client, commands: Command[]) => Promise<void>,
): Promise<Measurement> {
  const cpuBefore = await cpuTimeMs(dataSource);
  const started = performance.now();
  await send(client, commands);
  const seconds = (performance.now() - started) / 1000;
  const cpu = cpuBetween(cpuBefore, await cpuTimeMs(dataSource));
  const perThousand = (ms: number) => (ms * 1000) / commands.length;
  return {
    commandsPerSecond: commands.length / seconds,
    cpuPerThousand: { process: perThousand(cpu.process), database: perThousand(cpu.database) },
  };
}

async function sendBatched(client: Client, commands: Command[]): Promise<void> {
  const response = await client.batchExecute({
    requestId: `bench-${randomBytes(8).toString("hex")}`,
    commands,
  });
  if (!response.success)
    throw new Error(`bench batch failed: ${response.results.find((r) => !r.success)?.errorMessage}`);
}

async function sendOneByOne(client: Client, commands: Command[]): Promise<void> {
  for (const command of commands) await sendBatched(client, [command]);
}

function report(server: string, runs: Measurement[], oneByOne: Measurement): void {
  const batched = runs.toSorted((a, b) => a.commandsPerSecond - b.commandsPerSecond)[
    Math.floor(runs.length / 2)
  ]!;
  const cores = cpus().length;
  const line = (label: string, m: Measurement, note: string) => {
    const { process, database } = m.cpuPerThousand;
    const ceiling = (1000 * 1000) / ((process + database) / cores);
    console.log(
      `  ${label.padEnd(11)} ${format(m.commandsPerSecond).padStart(7)} commands/s  ${note}\n` +
        `              CPU per 1,000 commands: ${format(process)} ms service+client, ${format(database)} ms PostgreSQL` +
        ` (all ${cores} cores busy with nothing else: ~${format(ceiling)} commands/s)`,
    );
  };
  console.log(`batch: ${aggregates * perAggregate} commands over ${aggregates} aggregates`);
  console.log(`  server: ${server}; load average ${loadavg()[0]!.toFixed(1)} on ${cores} cores`);
  // CPU per command from all runs together: one run's figure swings with whatever GC or autovacuum fell into it.
  const cpu = (key: "process" | "database") =>
    runs.reduce((sum, m) => sum + m.cpuPerThousand[key], 0) / runs.length;
  const overall = { ...batched, cpuPerThousand: { process: cpu("process"), database: cpu("database") } };
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
