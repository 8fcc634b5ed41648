import { availableParallelism, loadavg } from "node:os";
import { Kafka, logLevel } from "kafkajs";
import { migrateReadDatabase } from "@conveyor/query-service";
import { startCluster, type Cluster } from "../../deploy/cluster/cluster.ts";
import { startInstances } from "../../deploy/cluster/service-instances.ts";
import { databaseUrl, ensureDatabase, withClient } from "../../deploy/local/postgres.ts";
import { waitFor } from "../../deploy/local/wait-for.ts";
import { insertTaskBurst } from "./pipeline/burst-rows.ts";

const events = Number(process.env.BENCH_SCALE_EVENTS ?? 100_000);
// The instance counts to compare, in this order (e.g. BENCH_SCALE_INSTANCES=3,1 to rule out a warm-cache edge).
const instanceCounts = (process.env.BENCH_SCALE_INSTANCES ?? "1,3").split(",").map(Number);

/**
 * Scale-out section, on the three-broker cluster (topics at replication factor 3, 6 partitions):
 * `events` TaskCreated rows written set-based before any relay runs, the rate at which one relay drains
 * them with acks=all, then the projection rate of 1 and of 3 query-service instances (one consumer group)
 * replaying them into a fresh read database each. All processes share this machine's cores.
 */
export async function run(): Promise<void> {
  const cluster = await startCluster({
    commandInstances: 0,
    queryInstances: 0,
    postgresSettings: { fsync: "off", synchronous_commit: "off", full_page_writes: "off" },
  });
  try {
    await withClient(cluster.postgres.writeUrl, (db) => insertTaskBurst(db, events, "bench"));
    const relays = await startInstances("command", 1, serviceEnv(cluster), () => undefined);
    try {
      // Timed from the end of the first round (the process start is not the relay's work).
      const { rows: left } = await waitFor(
        async () => {
          const rows = await outboxRows(cluster);
          return rows < events ? { rows } : undefined;
        },
        { timeoutMs: 180_000, description: "a first round" },
      );
      const relaySeconds = await secondsUntil(async () => (await outboxRows(cluster)) === 0);
      console.log(`scale-out (${events} events, 6 partitions, RF 3, ${loadAverage()}):`);
      console.log(`  relay (1 active), acks=all: ${Math.round(left / relaySeconds)} events/s`);
    } finally {
      await Promise.all(relays.map((relay) => relay.server.stop()));
    }
    for (const count of instanceCounts) {
      const seconds = await projectionSeconds(cluster, count);
      console.log(
        `  projection, ${count} query-service instance(s): ${Math.round(events / seconds)} events/s`,
      );
    }
  } finally {
    await cluster.stop();
  }
}

/** From the first projected row until all `events` are in a fresh read database, with `count` instances. */
async function projectionSeconds(cluster: Cluster, count: number): Promise<number> {
  const readUrl = databaseUrl(cluster.postgres.adminUrl, `bench_read_${count}`);
  await ensureDatabase(readUrl);
  await migrateReadDatabase(readUrl);
  const env = { ...serviceEnv(cluster), READ_DATABASE_URL: readUrl };
  const instances = await startInstances("query", count, env, () => undefined);
  try {
    await waitFor(async () => (await projectedTasks(readUrl)) > 0, {
      timeoutMs: 120_000,
      description: "a first row",
    });
    return await secondsUntil(async () => (await projectedTasks(readUrl)) >= events);
  } finally {
    await Promise.all(instances.map((instance) => instance.server.stop()));
    await forgetGroup(cluster);
  }
}

function serviceEnv(cluster: Cluster): NodeJS.ProcessEnv {
  return {
    ...process.env,
    ...cluster.authEnv,
    WRITE_DATABASE_URL: cluster.postgres.writeUrl,
    KAFKA_BROKERS: cluster.kafka.brokers.join(","),
    KAFKA_TOPIC_PREFIX: cluster.topicPrefix,
  };
}

/** The machine's 1-minute load average: the other work the cores were doing. */
function loadAverage(): string {
  return `load average ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} cores`;
}

async function secondsUntil(condition: () => Promise<boolean>): Promise<number> {
  const started = performance.now();
  await waitFor(condition, { timeoutMs: 1_800_000, intervalMs: 250, description: "the bench condition" });
  return (performance.now() - started) / 1000;
}

async function outboxRows(cluster: Cluster): Promise<number> {
  return count(cluster.postgres.writeUrl, "SELECT count(*)::int AS n FROM outbox");
}

async function projectedTasks(readUrl: string): Promise<number> {
  return count(readUrl, "SELECT count(*)::int AS n FROM read_tasks");
}

async function count(url: string, sql: string): Promise<number> {
  return withClient(url, async (db) => (await db.query<{ n: number }>(sql)).rows[0]!.n);
}

/** Deletes the projector's consumer group, so the next run's instances read the topics from the start. */
async function forgetGroup(cluster: Cluster): Promise<void> {
  const admin = new Kafka({
    clientId: "bench",
    brokers: cluster.kafka.brokers,
    logLevel: logLevel.NOTHING,
  }).admin();
  await admin.connect();
  try {
    await admin.deleteGroups([`${cluster.topicPrefix}.query-service.projector`]);
  } finally {
    await admin.disconnect();
  }
}
