import type { TestProject } from "vitest/node";
import { integer } from "@conveyor/runtime";
import { startEmbeddedPostgres } from "../../deploy/local/embedded-postgres.ts";
import { startKafkaBroker } from "../../deploy/local/kafka.ts";
import { cachePath } from "../../deploy/local/paths.ts";
import { dropLeftoverTestDatabases } from "./databases.ts";

declare module "vitest" {
  export interface ProvidedContext {
    /** Superuser URL of the test server's "postgres" database; each spec creates its own databases. */
    databaseAdminUrl: string;
    /** Bootstrap brokers of the test Kafka; each spec uses its own topic prefix and group ids. */
    kafkaBrokers: string[];
  }
}

type Env = Record<string, string | undefined>;

interface Provisioned<T> {
  value: T;
  stop: () => Promise<void>;
}

interface Endpoints {
  databaseAdminUrl: string;
  kafkaBrokers: string[];
}

interface Infrastructure {
  users: number;
  ready: Promise<Provisioned<Endpoints>>;
}

// The int and e2e projects both name this file and vitest runs it once per project, in one process: the
// first setup starts the servers, the last teardown stops them.
const shared = globalThis as { conveyorTestInfrastructure?: Infrastructure };

/**
 * Starts PostgreSQL (.cache/postgres-test, port TEST_POSTGRES_PORT or 54330) and Kafka (.cache/kafka-test,
 * port TEST_KAFKA_PORT or 19092), apart from those of `npm start`, unless TEST_DATABASE_ADMIN_URL and
 * KAFKA_BROKERS point at running ones.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const infrastructure = (shared.conveyorTestInfrastructure ??= { users: 0, ready: provision(process.env) });
  infrastructure.users += 1;
  const { value, stop } = await infrastructure.ready;
  project.provide("databaseAdminUrl", value.databaseAdminUrl);
  project.provide("kafkaBrokers", value.kafkaBrokers);
  return async () => {
    infrastructure.users -= 1;
    if (infrastructure.users > 0) return;
    delete shared.conveyorTestInfrastructure;
    await stop();
  };
}

async function provision(env: Env): Promise<Provisioned<Endpoints>> {
  const [postgres, kafka] = await Promise.allSettled([testPostgres(env), testKafka(env)]);
  const started = [kafka, postgres].flatMap((result) =>
    result.status === "fulfilled" ? [result.value] : [],
  );
  const stop = async (): Promise<void> => {
    for (const server of started) await server.stop();
  };
  if (postgres.status === "fulfilled" && kafka.status === "fulfilled") {
    return { value: { databaseAdminUrl: postgres.value.value, kafkaBrokers: kafka.value.value }, stop };
  }
  await stop();
  throw [postgres, kafka].find((result): result is PromiseRejectedResult => result.status === "rejected")
    ?.reason;
}

async function testPostgres(env: Env): Promise<Provisioned<string>> {
  if (env.TEST_DATABASE_ADMIN_URL)
    return { value: env.TEST_DATABASE_ADMIN_URL, stop: () => Promise.resolve() };
  const { adminUrl, server } = await startEmbeddedPostgres({
    dataDir: cachePath("postgres-test"),
    port: integer(env, "TEST_POSTGRES_PORT", 54330),
    // Throwaway data: without durability, CREATE DATABASE and commits are much faster.
    settings: { fsync: "off", synchronous_commit: "off", full_page_writes: "off", max_connections: "300" },
  });
  await dropLeftoverTestDatabases(adminUrl);
  return { value: adminUrl, stop: () => server.stop() };
}

async function testKafka(env: Env): Promise<Provisioned<string[]>> {
  if (env.KAFKA_BROKERS)
    return {
      value: env.KAFKA_BROKERS.split(",").map((broker) => broker.trim()),
      stop: () => Promise.resolve(),
    };
  const port = integer(env, "TEST_KAFKA_PORT", 19092);
  const broker = await startKafkaBroker({
    dir: cachePath("kafka-test"),
    port,
    controllerPort: port + 1,
    fresh: true,
  });
  return { value: broker.brokers, stop: () => broker.stop() };
}
