// `npm start`: PostgreSQL, Kafka, migrations, topics and both services, stopped in reverse order on Ctrl-C.
import { migrateWriteDatabase } from "@conveyor/command-service";
import { migrateReadDatabase } from "@conveyor/query-service";
import { localAuth } from "./dev-token.ts";
import { provisionKafka, type KafkaCluster } from "./kafka.ts";
import type { ManagedProcess } from "./managed-process.ts";
import { provisionPostgres, type PostgresDatabases } from "./postgres.ts";
import { startService } from "./services.ts";
import { ensureTopics } from "./topics.ts";
import { usage } from "./usage.ts";

const running: { postgres?: PostgresDatabases; kafka?: KafkaCluster; services: ManagedProcess[] } = {
  services: [],
};
let stopping = false;

const log = (message: string): void => console.log(`[conveyor] ${message}`);
const forward = (name: string) => (line: string) => console.log(`[${name}] ${line}`);

async function main(): Promise<void> {
  for (const signal of ["SIGINT", "SIGTERM"] as const)
    process.on(signal, () => void stopAll(0, `received ${signal}`));
  const { postgres, kafka } = await provisionInfrastructure();
  log("migrating the write and read databases");
  await Promise.all([migrateWriteDatabase(postgres.writeUrl), migrateReadDatabase(postgres.readUrl)]);
  const topicPrefix = process.env.KAFKA_TOPIC_PREFIX ?? "conveyor";
  await ensureTopics(kafka.brokers, topicPrefix);
  const auth = await localAuth(process.env);
  const env = {
    ...process.env,
    ...auth.env,
    WRITE_DATABASE_URL: postgres.writeUrl,
    READ_DATABASE_URL: postgres.readUrl,
    KAFKA_BROKERS: kafka.brokers.join(","),
    KAFKA_TOPIC_PREFIX: topicPrefix,
  };
  const start = async (name: "command" | "query") => {
    const service = await startService(name, { ...env, METRICS_PORT: metricsPort(name) }, forward(name));
    running.services.push(service.server);
    return service;
  };
  const [command, query] = await Promise.all([start("command"), start("query")]);
  const [commandPort, queryPort] = [command.port, query.port];
  const metricsPorts = { command: command.metricsPort, query: query.metricsPort };
  console.log(usage({ commandPort, queryPort, metricsPorts, postgres, kafka, token: auth.token }));
  const ended = await Promise.race(watched().map(async (server) => `${server.name} ${await server.exited}`));
  await stopAll(1, `${ended} unexpectedly`);
}

/** Each service's METRICS_PORT: COMMAND_METRICS_PORT / QUERY_METRICS_PORT, else the service's default (9464 / 9465). */
function metricsPort(name: "command" | "query"): string {
  return process.env[`${name.toUpperCase()}_METRICS_PORT`] ?? (name === "command" ? "9464" : "9465");
}

/** PostgreSQL and Kafka start side by side; whichever started is kept for the shutdown even if the other failed. */
async function provisionInfrastructure(): Promise<{ postgres: PostgresDatabases; kafka: KafkaCluster }> {
  log("starting PostgreSQL and Kafka");
  const [postgres, kafka] = await Promise.allSettled([
    provisionPostgres(process.env, { onLine: forward("postgres") }),
    provisionKafka(process.env, forward("kafka")),
  ]);
  if (postgres.status === "fulfilled") running.postgres = postgres.value;
  if (kafka.status === "fulfilled") running.kafka = kafka.value;
  if (postgres.status === "rejected") throw postgres.reason;
  if (kafka.status === "rejected") throw kafka.reason;
  return { postgres: postgres.value, kafka: kafka.value };
}

function watched(): ManagedProcess[] {
  const infrastructure = [running.postgres?.server, running.kafka?.server];
  return [...running.services, ...infrastructure.filter((server) => server !== undefined)];
}

/** Services first, then Kafka, then PostgreSQL; then exit. Later calls (a second Ctrl-C) change nothing. */
async function stopAll(exitCode: number, reason: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  log(`${reason}: stopping`);
  const steps: Array<[string, () => Promise<unknown>]> = [
    ["services", () => Promise.all(running.services.map((server) => server.stop()))],
    ["Kafka", async () => running.kafka?.stop()],
    ["PostgreSQL", async () => running.postgres?.stop()],
  ];
  for (const [name, stop] of steps) {
    log(`stopping ${name}`);
    await stop().catch((error: unknown) => log(`could not stop ${name}: ${String(error)}`));
  }
  log("stopped");
  process.exit(exitCode);
}

main().catch((error: unknown) => {
  console.error(error);
  return stopAll(1, "could not start");
});
