import { randomBytes } from "node:crypto";
import pg from "pg";
import { CommandService } from "@conveyor/proto/conveyor/command/v1/command_service_pb";
import { bearerClientOptions, createGrpcJsClient } from "@conveyor/runtime/testing";
import { allPermissionsAuthEnv, createLogger, generateToken } from "@conveyor/runtime";
import { migrateWriteDatabase } from "../../command-service/src/infra/write-database.ts";
import { migrateReadDatabase } from "../../query-service/src/infra/read-database.ts";
import { rebuildReadModel } from "../../query-service/src/projection/rebuild-read-model.ts";
import { startService } from "../../deploy/local/services.ts";
import { ensureTopics } from "../../deploy/local/topics.ts";
import { pipelinePostgres } from "./pipeline/pipeline-postgres.ts";
import { benchKafka } from "./pipeline/bench-kafka.ts";
import { insertTaskBurst } from "./pipeline/burst-rows.ts";
import { databaseBackendsCpuMs, processCpuMs } from "./pipeline/process-cpu.ts";
import { sustainedCreateTasks } from "./pipeline/sustained-load.ts";

const token = generateToken();
const burst = Number(process.env.BENCH_PIPELINE_EVENTS ?? 1_000_000);
const sustainedSeconds = Number(process.env.BENCH_PIPELINE_SECONDS ?? 30);
const commandsPerSecond = 1000;

/**
 * Pipeline section: command-service (with its outbox relay) and query-service (with its projector) as
 * separate processes, on a real Kafka and PostgreSQL. (1) A burst of 1,000,000 TaskCreated events
 * written set-based in one transaction: relay and projection rates, and the time until all are in
 * the read model. (2) The same topics replayed into a fresh read model (projection alone).
 * (3) Write-to-read lag under 1,000 commands/s of BatchExecute traffic.
 */
export async function run(): Promise<void> {
  const [postgres, kafka] = await Promise.all([pipelinePostgres(), benchKafka()]);
  const suffix = randomBytes(4).toString("hex");
  const [write, read, replay] = await Promise.all(
    ["write", "read", "replay"].map((side) => postgres.createDatabase(`bench_pipeline_${side}_${suffix}`)),
  );
  const topicPrefix = `bench.pipeline.${suffix}`;
  await Promise.all([migrateWriteDatabase(write!.url), migrateReadDatabase(read!.url)]);
  await ensureTopics(kafka.brokers, topicPrefix);
  const writeDb = new pg.Client({ connectionString: write!.url });
  const burstDb = new pg.Client({ connectionString: write!.url });
  const readDb = new pg.Client({ connectionString: read!.url });
  await Promise.all([writeDb.connect(), burstDb.connect(), readDb.connect()]);
  // The bench's own stamp of when a task row reached the read model (the projector inserts it).
  await readDb.query(
    "ALTER TABLE read_tasks ADD COLUMN projected_at timestamptz NOT NULL DEFAULT clock_timestamp()",
  );
  console.log(`pipeline: ${postgres.description}; Kafka: ${kafka.description}; 3 partitions per topic`);
  const env = {
    ...process.env,
    ...allPermissionsAuthEnv("bench", token),
    WRITE_DATABASE_URL: write!.url,
    READ_DATABASE_URL: read!.url,
    KAFKA_BROKERS: kafka.brokers.join(","),
    KAFKA_TOPIC_PREFIX: topicPrefix,
    COMMAND_SERVICE_PORT: "0",
    QUERY_SERVICE_PORT: "0",
    METRICS_PORT: "0",
    LOG_LEVEL: "info", // startService waits for the "listening" line
    ...cpuProfileEnv(process.env.BENCH_PIPELINE_CPU_PROF),
  };
  const services: { server: { stop(): Promise<void> } }[] = [];
  try {
    const command = await startService("command", env, () => undefined);
    services.push(command);
    const query = await startService("query", env, () => undefined);
    services.push(query);
    const names = { write: `bench_pipeline_write_${suffix}`, read: `bench_pipeline_read_${suffix}` };
    const cpu = await cpuMeter(command.server.pid!, query.server.pid!, names.write, names.read, [
      writeDb,
      burstDb,
      readDb,
    ]);
    const profile = () => {
      if (process.env.BENCH_PIPELINE_CPU_PROF)
        for (const { server } of [command, query]) process.kill(server.pid!, "SIGUSR2");
    };
    profile();
    const before = await cpu.read();
    const insertStarted = performance.now();
    await insertTaskBurst(burstDb, burst, "burst");
    console.log(
      `  burst: ${format(burst)} tasks + outbox rows written set-based in ${seconds(performance.now() - insertStarted)}, one transaction`,
    );
    const burstResult = await watchBurst(writeDb, readDb, performance.now());
    const used = (await cpu.read()).minus(before);
    profile();
    console.log(
      `  relay:      ${format(burstResult.relayRate)} events/s (outbox drained in ${seconds(burstResult.relayMs)})`,
    );
    console.log(
      `  projector:  ${format(burstResult.projectRate)} events/s while the relay ran alongside; all ${format(burst)} in the read model ${seconds(burstResult.endToEndMs)} after the burst committed`,
    );
    console.log(
      `  CPU per event: relay ${perEvent(used.command)} (command-service) + ${perEvent(used.writeBackends)} (its write-DB backends); projector ${perEvent(used.query)} (query-service) + ${perEvent(used.readBackends)} (its read-DB backends)`,
    );
    await replayRate(replay!.url, kafka.brokers, topicPrefix);
    await sustainedLag(command.port, readDb, writeDb);
  } finally {
    for (const service of services.reverse()) await service.server.stop();
    await Promise.allSettled([writeDb.end(), burstDb.end(), readDb.end()]);
    for (const database of [write, read, replay]) await database!.drop();
    await kafka.stop();
    await postgres.stop();
  }
}

/** With BENCH_PIPELINE_CPU_PROF=DIR, both services write V8 CPU profiles of the burst (.cpuprofile) into DIR. */
function cpuProfileEnv(dir: string | undefined): Record<string, string> {
  if (!dir) return {};
  const hook = new URL("pipeline/cpu-profile-hook.mjs", import.meta.url).pathname;
  return { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --import ${hook}`.trim(), CPU_PROFILE_DIR: dir };
}

interface BurstResult {
  relayMs: number;
  relayRate: number;
  projectRate: number;
  endToEndMs: number;
}

/** Polls the outbox and read_tasks until the burst is through; times from the burst's commit. */
async function watchBurst(writeDb: pg.Client, readDb: pg.Client, committed: number): Promise<BurstResult> {
  let relayDone: number | undefined;
  let firstProjected: number | undefined;
  for (;;) {
    const now = performance.now();
    const left = await count(writeDb, "SELECT count(*)::int AS n FROM outbox");
    const projected = await count(
      readDb,
      "SELECT count(*)::int AS n FROM read_tasks WHERE category = 'burst'",
    );
    if (left === 0) relayDone ??= now;
    if (projected > 0) firstProjected ??= now;
    if (projected === burst && relayDone !== undefined && firstProjected !== undefined)
      return {
        relayMs: relayDone - committed,
        relayRate: (burst * 1000) / (relayDone - committed),
        projectRate: (burst * 1000) / (now - firstProjected),
        endToEndMs: now - committed,
      };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function replayRate(databaseUrl: string, brokers: string[], topicPrefix: string): Promise<void> {
  const started = performance.now();
  const done = await rebuildReadModel({
    databaseUrl,
    kafkaBrokers: brokers,
    topicPrefix,
    truncate: false,
    logger: createLogger("bench-replay", { LOG_LEVEL: "warn" }),
    onProgress: () => undefined,
  });
  const ms = performance.now() - started;
  console.log(
    `  replay:     ${format((done.applied * 1000) / ms)} events/s projecting alone (rebuild of ${format(done.applied)} messages into a fresh read model in ${seconds(ms)}, start-up included)`,
  );
}

async function sustainedLag(commandPort: number, readDb: pg.Client, writeDb: pg.Client): Promise<void> {
  const client = createGrpcJsClient(
    CommandService,
    `127.0.0.1:${commandPort}`,
    undefined,
    bearerClientOptions(token),
  );
  try {
    const load = await sustainedCreateTasks(client, {
      perSecond: commandsPerSecond,
      perBatch: 10,
      seconds: sustainedSeconds,
      category: "sustained",
    });
    const expected = await count(
      writeDb,
      "SELECT count(*)::int AS n FROM tasks WHERE category = 'sustained'",
    );
    while (
      (await count(readDb, "SELECT count(*)::int AS n FROM read_tasks WHERE category = 'sustained'")) <
      expected
    )
      await new Promise((resolve) => setTimeout(resolve, 100));
    const { rows } = await writeDb.query<{ id: string; created_ms: number }>(
      "SELECT id::text, (extract(epoch FROM created_at) * 1000)::float8 AS created_ms FROM tasks WHERE category = 'sustained'",
    );
    const projected = await readDb.query<{ id: string; projected_ms: number }>(
      "SELECT task_id::text AS id, (extract(epoch FROM projected_at) * 1000)::float8 AS projected_ms FROM read_tasks WHERE category = 'sustained'",
    );
    const at = new Map(projected.rows.map((row) => [row.id, row.projected_ms]));
    const lags = rows.map((row) => at.get(row.id)! - row.created_ms).sort((a, b) => a - b);
    console.log(
      `  sustained:  ${format(load.commands / load.issueSeconds)} commands/s offered for ${load.issueSeconds.toFixed(0)} s, ${format(load.commands / load.seconds)} commands/s served (${load.failedBatches} failed batches); write-to-read lag p50 ${percentile(lags, 0.5).toFixed(0)} ms, p99 ${percentile(lags, 0.99).toFixed(0)} ms, max ${lags.at(-1)!.toFixed(0)} ms (from the write transaction's start to the read row's insert)`,
    );
  } finally {
    client.close();
  }
}

interface CpuSample {
  command: number;
  query: number;
  writeBackends: number;
  readBackends: number;
  minus(other: CpuSample): CpuSample;
}

/** CPU time of both services and of their database backends (not the benchmark's own connections). */
async function cpuMeter(
  commandPid: number,
  queryPid: number,
  writeDb: string,
  readDb: string,
  own: pg.Client[],
) {
  const ownPids = await Promise.all(
    own.map(async (db) => (await db.query<{ pid: number }>("SELECT pg_backend_pid() AS pid")).rows[0]!.pid),
  );
  const sample = (values: Omit<CpuSample, "minus">): CpuSample => ({
    ...values,
    minus: (other) =>
      sample({
        command: values.command - other.command,
        query: values.query - other.query,
        writeBackends: values.writeBackends - other.writeBackends,
        readBackends: values.readBackends - other.readBackends,
      }),
  });
  return {
    read: async () =>
      sample({
        command: await processCpuMs(commandPid),
        query: await processCpuMs(queryPid),
        writeBackends: await databaseBackendsCpuMs(writeDb, ownPids),
        readBackends: await databaseBackendsCpuMs(readDb, ownPids),
      }),
  };
}

async function count(db: pg.Client, sql: string): Promise<number> {
  return (await db.query<{ n: number }>(sql)).rows[0]!.n;
}

function perEvent(cpuMs: number): string {
  return `${((cpuMs * 1000) / burst).toFixed(1)} µs`;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

function format(n: number): string {
  return Math.round(n).toLocaleString("en-US");
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
