import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdir, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { Kafka, logLevel } from "kafkajs";
import { integer } from "@conveyor/runtime";
import { log4jProperties, serverProperties, type BrokerPorts } from "./kafka-config.ts";
import { kafkaJars } from "./kafka-jars.ts";
import { startProcess, type ManagedProcess } from "./managed-process.ts";
import { cachePath } from "./paths.ts";
import { assertPortFree } from "./ports.ts";
import { FatalWaitError, waitFor } from "./wait-for.ts";

const run = promisify(execFile);
type Env = Record<string, string | undefined>;

export interface KafkaCluster {
  /** Bootstrap brokers, e.g. ["127.0.0.1:9092"]. */
  brokers: string[];
  /** The broker process, when we started it. */
  server?: ManagedProcess;
  stop: () => Promise<void>;
}

export interface LocalBrokerOptions extends BrokerPorts {
  /** Holds the config, the logs and the data. */
  dir: string;
  onLine?: (line: string) => void;
}

/** The brokers KAFKA_BROKERS lists, else a local broker in .cache/kafka on KAFKA_PORT (default 9092). */
export async function provisionKafka(env: Env, onLine?: (line: string) => void): Promise<KafkaCluster> {
  if (env.KAFKA_BROKERS) {
    return {
      brokers: env.KAFKA_BROKERS.split(",").map((broker) => broker.trim()),
      stop: () => Promise.resolve(),
    };
  }
  const port = integer(env, "KAFKA_PORT", 9092);
  const controllerPort = integer(env, "KAFKA_CONTROLLER_PORT", port + 1);
  return startKafkaBroker({ dir: cachePath("kafka"), port, controllerPort, onLine });
}

/** Starts a single KRaft broker as a child process and resolves once clients can use it. */
export async function startKafkaBroker(options: LocalBrokerOptions): Promise<KafkaCluster> {
  const hint =
    "set KAFKA_PORT (and KAFKA_CONTROLLER_PORT) to free ports, or KAFKA_BROKERS to use a running broker";
  await assertPortFree("127.0.0.1", options.port, "Kafka", hint);
  await assertPortFree("127.0.0.1", options.controllerPort, "Kafka controller", hint);
  const lib = await kafkaJars();
  const config = await writeConfig(options, lib);
  const server = startProcess({
    name: "kafka",
    command: java(),
    args: [...jvmArgs(lib, config.log4j), "kafka.Kafka", config.server],
    stopTimeoutMs: 30_000,
    onLine: options.onLine,
  });
  const brokers = [`127.0.0.1:${options.port}`];
  try {
    await waitFor(() => brokerReady(brokers, server), {
      timeoutMs: 90_000,
      intervalMs: 250,
      description: `Kafka at ${brokers[0]}`,
    });
  } catch (error) {
    await server.stop();
    throw error;
  }
  return { brokers, server, stop: () => server.stop() };
}

async function writeConfig(
  options: LocalBrokerOptions,
  lib: string,
): Promise<{ server: string; log4j: string }> {
  const dataDir = join(options.dir, "data");
  await mkdir(join(options.dir, "logs"), { recursive: true });
  const config = {
    server: join(options.dir, "server.properties"),
    log4j: join(options.dir, "log4j.properties"),
  };
  await writeFile(config.server, serverProperties(dataDir, options));
  await writeFile(config.log4j, log4jProperties(join(options.dir, "logs", "server.log")));
  const formatted = await stat(join(dataDir, "meta.properties")).then(
    () => true,
    () => false,
  );
  if (!formatted) await formatStorage(lib, config);
  return config;
}

/** KRaft storage is formatted once, with a fresh cluster id (22 characters of base64url). */
async function formatStorage(lib: string, config: { server: string; log4j: string }): Promise<void> {
  const clusterId = randomBytes(16).toString("base64url");
  await run(java(), [
    ...jvmArgs(lib, config.log4j),
    "kafka.tools.StorageTool",
    "format",
    "-t",
    clusterId,
    "-c",
    config.server,
  ]);
}

async function brokerReady(brokers: string[], server: ManagedProcess): Promise<boolean> {
  if (!server.isRunning())
    throw new FatalWaitError(`Kafka broker ${await server.exited}:\n${server.recentOutput()}`);
  const kafka = new Kafka({
    clientId: "conveyor-probe",
    brokers,
    logLevel: logLevel.NOTHING,
    retry: { retries: 0 },
  });
  const admin = kafka.admin();
  try {
    await admin.connect();
    await admin.describeCluster();
    // Ready means consumer groups work: this finds a group coordinator, creating __consumer_offsets.
    await admin.describeGroups(["conveyor-probe"]);
    return true;
  } finally {
    await admin.disconnect();
  }
}

function java(): string {
  return process.env.JAVA_HOME ? join(process.env.JAVA_HOME, "bin", "java") : "java";
}

function jvmArgs(lib: string, log4j: string): string[] {
  return [
    "-Xms256m",
    "-Xmx1g",
    "-Djava.awt.headless=true",
    `-Dlog4j.configuration=file:${log4j}`,
    "-cp",
    `${lib}/*`,
  ];
}
