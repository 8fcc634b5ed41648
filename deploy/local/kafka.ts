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
  const server = await launchKafkaNode({
    name: "kafka",
    dir: options.dir,
    properties: (dataDir) => serverProperties(dataDir, options),
    clusterId: newClusterId(),
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

export interface KafkaNodeSpec {
  /** Short name for logs and errors, e.g. "kafka-2". */
  name: string;
  /** Holds the config, the logs and the data. */
  dir: string;
  /** The server.properties text for the node's data folder. */
  properties: (dataDir: string) => string;
  /** Formats fresh storage with this id; every node of one cluster must share it. */
  clusterId: string;
  /** Heap and other JVM flags (default: 256 MiB initial, 1 GiB maximum heap). */
  jvmOptions?: string[];
  onLine?: (line: string) => void;
}

/**
 * Writes a node's config, formats its storage on first use and starts its JVM, without waiting for it
 * to serve: a node of a quorum serves only once enough of the others run.
 */
export async function launchKafkaNode(spec: KafkaNodeSpec): Promise<ManagedProcess> {
  const lib = await kafkaJars();
  const jvm = [...(spec.jvmOptions ?? ["-Xms256m", "-Xmx1g"]), ...classpathArgs(lib)];
  const config = await writeConfig(spec, jvm);
  return startProcess({
    name: spec.name,
    command: java(),
    args: [...jvm, `-Dlog4j.configuration=file:${config.log4j}`, "kafka.Kafka", config.server],
    stopTimeoutMs: 30_000,
    onLine: spec.onLine,
  });
}

/** A fresh KRaft cluster id (22 characters of base64url). */
export function newClusterId(): string {
  const id = randomBytes(16).toString("base64url");
  // kafka-storage reads an id starting with "-" as an option and refuses to format.
  return id.startsWith("-") ? newClusterId() : id;
}

async function writeConfig(spec: KafkaNodeSpec, jvm: string[]): Promise<{ server: string; log4j: string }> {
  const dataDir = join(spec.dir, "data");
  await mkdir(join(spec.dir, "logs"), { recursive: true });
  const config = {
    server: join(spec.dir, "server.properties"),
    log4j: join(spec.dir, "log4j.properties"),
  };
  await writeFile(config.server, spec.properties(dataDir));
  await writeFile(config.log4j, log4jProperties(join(spec.dir, "logs", "server.log")));
  const formatted = await stat(join(dataDir, "meta.properties")).then(
    () => true,
    () => false,
  );
  if (!formatted) await formatStorage(jvm, config, spec.clusterId);
  return config;
}

/** KRaft storage is formatted once, with the cluster's id. */
async function formatStorage(
  jvm: string[],
  config: { server: string; log4j: string },
  clusterId: string,
): Promise<void> {
  await run(java(), [
    ...jvm,
    `-Dlog4j.configuration=file:${config.log4j}`,
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

function classpathArgs(lib: string): string[] {
  return ["-Djava.awt.headless=true", "-cp", `${lib}/*`];
}
