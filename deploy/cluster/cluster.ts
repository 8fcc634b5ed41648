import { join } from "node:path";
import { randomBytes } from "node:crypto";
import type { Topics } from "@conveyor/messaging";
import { allPermissionsAuthEnv, generateToken } from "@conveyor/runtime";
import type { PostgresDatabases } from "../local/postgres.ts";
import { clusterDir } from "./cluster-dir.ts";
import { startClusterPostgres } from "./cluster-postgres.ts";
import { ensureClusterTopics } from "./cluster-topics.ts";
import { startKafkaQuorum, type KafkaQuorum } from "./kafka-quorum.ts";
import { startInstances, type ServiceInstance } from "./service-instances.ts";
import { Teardown } from "./teardown.ts";

export interface ClusterOptions {
  /** Kafka nodes, each broker + controller of one quorum (default 3). */
  brokers?: number;
  /** Partitions of each event topic (default 6): the most query-service instances that can share the work. */
  partitions?: number;
  commandInstances?: number;
  queryInstances?: number;
  topicPrefix?: string;
  /** Maximum JVM heap of each Kafka node (default "384m"). */
  kafkaHeap?: string;
  /** Extra PostgreSQL settings, e.g. { fsync: "off" } for throwaway test data. */
  postgresSettings?: Record<string, string>;
  /** Receives every line any process prints, with the process's name ("kafka-2", "query-1", ...). */
  onLine?: (source: string, line: string) => void;
}

export interface Cluster {
  /** Holds every process's data and logs; removed by stop(). */
  dir: string;
  kafka: KafkaQuorum;
  postgres: PostgresDatabases;
  topics: Topics;
  topicPrefix: string;
  partitions: number;
  /** A bearer token with every permission, which every instance accepts (principal "cluster"). */
  token: string;
  /** The AUTH_* environment that makes another service process accept `token`. */
  authEnv: Record<string, string>;
  commands: ServiceInstance[];
  queries: ServiceInstance[];
  /** Stops the services, then Kafka, then PostgreSQL, and removes the data. */
  stop(): Promise<void>;
}

/**
 * Starts, on this machine, a replicated Kafka quorum, one PostgreSQL server with the write and read
 * databases, the topics (partitioned, replicated to every broker by the brokers' default), several
 * command-service instances (one relay leads, the others stand by) and several query-service instances
 * sharing one projector consumer group.
 */
export async function startCluster(options: ClusterOptions = {}): Promise<Cluster> {
  const teardown = new Teardown();
  try {
    return await startParts(options, teardown);
  } catch (error) {
    await teardown.run();
    throw error;
  }
}

async function startParts(options: ClusterOptions, teardown: Teardown): Promise<Cluster> {
  const onLine = options.onLine ?? (() => undefined);
  const dir = await teardown.track(clusterDir(), (dir) => dir.remove());
  const [kafka, postgres] = await teardown.trackAll([
    [
      startKafkaQuorum({
        dir: join(dir.path, "kafka"),
        size: options.brokers ?? 3,
        maxHeap: options.kafkaHeap,
        onLine,
      }),
      (quorum: KafkaQuorum) => quorum.stop(),
    ],
    [
      startClusterPostgres({
        dir: dir.path,
        settings: options.postgresSettings,
        onLine: (line) => onLine("postgres", line),
      }),
      (databases: PostgresDatabases) => databases.stop(),
    ],
  ] as const);
  const topicPrefix = options.topicPrefix ?? "conveyor";
  const partitions = options.partitions ?? 6;
  const replicationFactor = Math.min(3, kafka.nodes.length);
  const topics = await ensureClusterTopics(kafka.brokers, topicPrefix, { partitions, replicationFactor });
  const token = generateToken();
  const authEnv = allPermissionsAuthEnv("cluster", token);
  const env = {
    // One cursor key for every query-service instance: an export resumes on any of them.
    EXPORT_CURSOR_KEY: randomBytes(32).toString("hex"),
    ...process.env,
    ...authEnv,
    WRITE_DATABASE_URL: postgres.writeUrl,
    READ_DATABASE_URL: postgres.readUrl,
    KAFKA_BROKERS: kafka.brokers.join(","),
    KAFKA_TOPIC_PREFIX: topicPrefix,
  };
  const stopAll = (instances: ServiceInstance[]) =>
    Promise.all(instances.map((instance) => instance.server.stop())).then(() => undefined);
  const [commands, queries] = await teardown.trackAll([
    [startInstances("command", options.commandInstances ?? 2, env, onLine), stopAll],
    [startInstances("query", options.queryInstances ?? 3, env, onLine), stopAll],
  ] as const);
  return {
    dir: dir.path,
    kafka,
    postgres,
    topics,
    topicPrefix,
    partitions,
    token,
    authEnv,
    commands,
    queries,
    stop: () => teardown.run(),
  };
}
