import { randomBytes } from "node:crypto";
import { migrateWriteDatabase } from "@conveyor/command-service";
import type { Topics } from "@conveyor/messaging";
import { migrateReadDatabase } from "@conveyor/query-service";
import { inject } from "vitest";
import type { ManagedProcess } from "../../../deploy/local/managed-process.ts";
import { databaseUrl, ensureDatabase, withClient } from "../../../deploy/local/postgres.ts";
import { cachePath } from "../../../deploy/local/paths.ts";
import { startService } from "../../../deploy/local/services.ts";
import { ensureTopics } from "../../../deploy/local/topics.ts";
import { uniqueTopicPrefix } from "../../harness/kafka.ts";
import { createTestAuth, type TestAuth } from "../../harness/test-auth.ts";
import { createLogFiles, type LogFiles } from "../../scale/log-files.ts";

export interface FaultStackOptions {
  /** Names the databases, topics and log folder. */
  label: string;
  /** A Kafka of the test's own (default: the test run's shared one). */
  kafkaBrokers?: string[];
  /** A PostgreSQL of the test's own (default: the test run's shared one). */
  databaseAdminUrl?: string;
  /** Partitions per event topic (default 3). */
  partitions?: number;
}

/** A command-service or query-service process of a fault test. */
export interface ServiceProcess {
  /** e.g. "query-2", also the name of its log file. */
  name: string;
  /** "127.0.0.1:<port>", for gRPC clients. */
  address: string;
  server: ManagedProcess;
}

/** Write and read databases, topics, and service processes started (and killed) by the test. */
export interface FaultStack {
  writeUrl: string;
  readUrl: string;
  brokers: string[];
  topicPrefix: string;
  topics: Topics;
  /** The token every service process accepts (all permissions), and client options that send it. */
  auth: TestAuth;
  /** Every process's output, one file per process. */
  logs: LogFiles;
  startCommand(env?: NodeJS.ProcessEnv): Promise<ServiceProcess>;
  startQuery(env?: NodeJS.ProcessEnv): Promise<ServiceProcess>;
  /** Stops every process still running, then drops the databases. */
  stop(): Promise<void>;
}

/**
 * Fresh migrated write and read databases and the topics of a unique prefix, on the test run's servers or
 * the test's own, and a way to run the services as separate processes (so the test can SIGKILL them).
 */
export async function startFaultStack(options: FaultStackOptions): Promise<FaultStack> {
  const adminUrl = options.databaseAdminUrl ?? inject("databaseAdminUrl");
  const brokers = options.kafkaBrokers ?? inject("kafkaBrokers");
  const topicPrefix = uniqueTopicPrefix(options.label);
  const suffix = `${options.label.replace(/[^a-z0-9]+/gi, "_").toLowerCase()}_${randomBytes(4).toString("hex")}`;
  const writeUrl = databaseUrl(adminUrl, `fault_${suffix}_write`);
  const readUrl = databaseUrl(adminUrl, `fault_${suffix}_read`);
  await Promise.all([ensureDatabase(writeUrl), ensureDatabase(readUrl)]);
  await Promise.all([migrateWriteDatabase(writeUrl), migrateReadDatabase(readUrl)]);
  const topics = await ensureTopics(brokers, topicPrefix, options.partitions ?? 3);
  const logs = createLogFiles(cachePath("hardening", "faults", "logs", options.label));
  const auth = createTestAuth();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...auth.env,
    WRITE_DATABASE_URL: writeUrl,
    READ_DATABASE_URL: readUrl,
    KAFKA_BROKERS: brokers.join(","),
    KAFKA_TOPIC_PREFIX: topicPrefix,
    // A free port each: the fixed defaults would collide between processes and with other runs.
    METRICS_PORT: "0",
    // One key for every query-service process: a cursor survives a restart.
    EXPORT_CURSOR_KEY: randomBytes(32).toString("hex"),
  };
  const started: ServiceProcess[] = [];
  const counts = { command: 0, query: 0 };
  const start = async (kind: "command" | "query", overrides: NodeJS.ProcessEnv = {}) => {
    const name = `${kind}-${(counts[kind] += 1)}`;
    const portVariable = kind === "command" ? "COMMAND_SERVICE_PORT" : "QUERY_SERVICE_PORT";
    const { server, port } = await startService(kind, { ...env, [portVariable]: "0", ...overrides }, (line) =>
      logs.write(name, line),
    );
    const service = { name, address: `127.0.0.1:${port}`, server };
    started.push(service);
    return service;
  };
  return {
    writeUrl,
    readUrl,
    brokers,
    topicPrefix,
    topics,
    auth,
    logs,
    startCommand: (overrides) => start("command", overrides),
    startQuery: (overrides) => start("query", overrides),
    async stop() {
      await Promise.all(started.map((service) => service.server.stop()));
      await logs.close();
      await withClient(adminUrl, async (client) => {
        for (const url of [writeUrl, readUrl]) {
          const name = client.escapeIdentifier(new URL(url).pathname.slice(1));
          await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        }
      }).catch(() => undefined); // a test's own server may already be gone
    },
  };
}
