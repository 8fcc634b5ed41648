import type { Topics } from "@conveyor/messaging";
import { startCommandService } from "@conveyor/command-service";
import { startQueryService } from "@conveyor/query-service";
import type { AuthSettings, ServiceConfig } from "@conveyor/runtime";
import type { TestDatabase } from "./databases.ts";
import { ensureTestTopics, kafkaBrokers, uniqueTopicPrefix } from "./kafka.ts";
import { createReadDatabase, createWriteDatabase } from "./migrated-databases.ts";
import { serviceLogger, type LogDestination } from "./service-logs.ts";
import { createTestAuth, type TestAuth, type TestPrincipal } from "./test-auth.ts";

/**
 * Both services running in this process against their own databases and topics, with authentication
 * on: `token` (all permissions; `headers`, `metadata()` and `grpcJsOptions` carry it) and `tokens` of
 * any extra principals.
 */
export interface Stack extends Omit<TestAuth, "env" | "settings"> {
  commandPort: number;
  queryPort: number;
  /** Base URLs for gRPC / Connect clients, e.g. "http://127.0.0.1:40123". */
  commandUrl: string;
  queryUrl: string;
  writeDatabaseUrl: string;
  readDatabaseUrl: string;
  kafkaBrokers: string[];
  topicPrefix: string;
  topics: Topics;
  /** The services' Prometheus endpoints, e.g. "http://127.0.0.1:40125/metrics". */
  commandMetricsUrl: string;
  queryMetricsUrl: string;
  /** Stops both services, then drops both databases (fine to pass as `afterAll(stack.stop)`). */
  stop: () => Promise<void>;
}

export interface StackOptions {
  /** Principals besides the all-permissions "test", by name (see createTestAuth). */
  principals?: Record<string, TestPrincipal>;
  /** Where both services log, at debug level (e.g. a log capture); default: stdout as usual. */
  logs?: LogDestination;
}

/**
 * For e2e specs: fresh, migrated write and read databases, a unique topic prefix with its topics, and both
 * services on free ports, requiring bearer tokens. Call stop() in afterAll.
 */
export async function startStack(label: string, options: StackOptions = {}): Promise<Stack> {
  const cleanups = new Cleanups();
  const { token, tokens, headers, metadata, grpcJsOptions, settings } = createTestAuth(options.principals);
  const auth = { token, tokens, headers, metadata, grpcJsOptions };
  try {
    return {
      ...auth,
      ...(await startParts(label, settings, cleanups, options.logs)),
      stop: () => cleanups.run(),
    };
  } catch (error) {
    await cleanups.run();
    throw error;
  }
}

type StackParts = Omit<Stack, "stop" | keyof TestAuth>;

async function startParts(
  label: string,
  auth: AuthSettings,
  cleanups: Cleanups,
  logs?: LogDestination,
): Promise<StackParts> {
  const topicPrefix = uniqueTopicPrefix(label);
  const drop = (database: TestDatabase) => database.drop();
  const [write, read, topics] = await settleAll([
    cleanups.track(createWriteDatabase(label), drop),
    cleanups.track(createReadDatabase(label), drop),
    ensureTestTopics(topicPrefix),
  ]);
  const config = (databaseUrl: string): ServiceConfig => ({
    databaseUrl,
    kafkaBrokers: kafkaBrokers(),
    topicPrefix,
    host: "127.0.0.1",
    port: 0,
    auth,
  });
  const stop = (service: { stop(): Promise<void> }) => service.stop();
  const [command, query] = await settleAll([
    cleanups.track(startCommandService(config(write.url), serviceLogger("command-service", logs)), stop),
    cleanups.track(startQueryService(config(read.url), serviceLogger("query-service", logs)), stop),
  ]);
  return {
    commandPort: command.port,
    queryPort: query.port,
    commandUrl: `http://127.0.0.1:${command.port}`,
    queryUrl: `http://127.0.0.1:${query.port}`,
    writeDatabaseUrl: write.url,
    readDatabaseUrl: read.url,
    kafkaBrokers: kafkaBrokers(),
    topicPrefix,
    topics,
    commandMetricsUrl: `http://127.0.0.1:${command.metricsPort}/metrics`,
    queryMetricsUrl: `http://127.0.0.1:${query.metricsPort}/metrics`,
  };
}

/** What to undo, undone in reverse order. */
class Cleanups {
  private readonly steps: Array<() => Promise<void>> = [];

  async track<T>(started: Promise<T>, undo: (value: T) => Promise<void>): Promise<T> {
    const value = await started;
    this.steps.push(() => undo(value));
    return value;
  }

  async run(): Promise<void> {
    for (const step of this.steps.splice(0).reverse()) await step();
  }
}

type Settled<T extends readonly unknown[]> = { -readonly [K in keyof T]: Awaited<T[K]> };

/** Promise.all that waits for every promise before failing, so nothing that started goes untracked. */
async function settleAll<T extends readonly unknown[] | []>(promises: T): Promise<Settled<T>> {
  const results = await Promise.allSettled(promises);
  for (const result of results) if (result.status === "rejected") throw result.reason;
  return results.map((result) => (result as PromiseFulfilledResult<unknown>).value) as Settled<T>;
}
