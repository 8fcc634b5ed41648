import type { TestProject } from "vitest/node";
import { integer } from "@conveyor/runtime";
import { startTestKafka, startTestPostgres, type TestServer } from "./test-servers.ts";

declare module "vitest" {
  export interface ProvidedContext {
    /** Superuser URL of the test server's "postgres" database; each spec creates its own databases. */
    databaseAdminUrl: string;
    /** Bootstrap brokers of the test Kafka; each spec uses its own topic prefix and group ids. */
    kafkaBrokers: string[];
  }
}

type Env = Record<string, string | undefined>;

interface Endpoints {
  databaseAdminUrl: string;
  kafkaBrokers: string[];
}

interface Infrastructure {
  users: number;
  ready: Promise<TestServer<Endpoints>>;
}

// The int, e2e and hardening projects all name this file and vitest runs it once per project, in one process: the
// first setup starts the servers, the last teardown stops them.
const shared = globalThis as { conveyorTestInfrastructure?: Infrastructure };

/**
 * Starts this run's own PostgreSQL and Kafka (on free ports, or TEST_POSTGRES_PORT / TEST_KAFKA_PORT),
 * apart from those of `npm start` and of other test runs, unless TEST_DATABASE_ADMIN_URL and KAFKA_BROKERS
 * point at running ones.
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

async function provision(env: Env): Promise<TestServer<Endpoints>> {
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

function testPostgres(env: Env): Promise<TestServer<string>> {
  if (env.TEST_DATABASE_ADMIN_URL)
    return Promise.resolve({ value: env.TEST_DATABASE_ADMIN_URL, stop: () => Promise.resolve() });
  return startTestPostgres(integer(env, "TEST_POSTGRES_PORT", 0));
}

function testKafka(env: Env): Promise<TestServer<string[]>> {
  if (env.KAFKA_BROKERS) {
    const brokers = env.KAFKA_BROKERS.split(",").map((broker) => broker.trim());
    return Promise.resolve({ value: brokers, stop: () => Promise.resolve() });
  }
  return startTestKafka(integer(env, "TEST_KAFKA_PORT", 0));
}
