import { join } from "node:path";
import { Kafka, logLevel } from "kafkajs";
import { quorumServerProperties, type QuorumNode } from "../local/kafka-config.ts";
import { launchKafkaNode, newClusterId } from "../local/kafka.ts";
import type { ManagedProcess } from "../local/managed-process.ts";
import { freePort } from "../local/ports.ts";
import { FatalWaitError, waitFor } from "../local/wait-for.ts";

export interface KafkaQuorumOptions {
  /** Holds one folder per node (config, logs, data). */
  dir: string;
  /** Nodes, each broker + controller (default 3). */
  size?: number;
  /** Maximum JVM heap of each node (default "384m"). */
  maxHeap?: string;
  onLine?: (node: string, line: string) => void;
}

export interface KafkaQuorumMember extends QuorumNode {
  /** "127.0.0.1:<port>". */
  broker: string;
  server: ManagedProcess;
}

export interface KafkaQuorum {
  /** Every node's client address: clients bootstrap from any that is alive. */
  brokers: string[];
  nodes: KafkaQuorumMember[];
  stop(): Promise<void>;
}

/**
 * Starts a KRaft cluster of separate JVMs on 127.0.0.1, each node broker and controller of one quorum,
 * and resolves once all of them are registered and consumer groups find a coordinator.
 */
export async function startKafkaQuorum(options: KafkaQuorumOptions): Promise<KafkaQuorum> {
  const quorum = await quorumPorts(options.size ?? 3);
  const clusterId = newClusterId();
  const launched = await Promise.allSettled(
    quorum.map((node) =>
      launchKafkaNode({
        name: `kafka-${node.nodeId}`,
        dir: join(options.dir, `node-${node.nodeId}`),
        properties: (dataDir) => quorumServerProperties(dataDir, node, quorum),
        clusterId,
        // Small heaps, and the serial collector: three JVMs share a small machine with everything else.
        jvmOptions: ["-Xms128m", `-Xmx${options.maxHeap ?? "384m"}`, "-XX:+UseSerialGC"],
        onLine: (line) => options.onLine?.(`kafka-${node.nodeId}`, line),
      }),
    ),
  );
  const servers = launched.flatMap((result) => (result.status === "fulfilled" ? [result.value] : []));
  const stop = () => Promise.all(servers.map((server) => server.stop())).then(() => undefined);
  const failed = launched.find((result): result is PromiseRejectedResult => result.status === "rejected");
  if (failed) {
    await stop();
    throw failed.reason;
  }
  const nodes = quorum.map((node, i) => ({ ...node, broker: `127.0.0.1:${node.port}`, server: servers[i]! }));
  const brokers = nodes.map((node) => node.broker);
  try {
    await waitFor(() => quorumReady(brokers, nodes), {
      timeoutMs: 240_000,
      intervalMs: 500,
      description: `a Kafka quorum of ${nodes.length} at ${brokers.join(",")}`,
    });
  } catch (error) {
    await stop();
    throw error;
  }
  return { brokers, nodes, stop };
}

async function quorumPorts(size: number): Promise<QuorumNode[]> {
  const nodes: QuorumNode[] = [];
  for (let nodeId = 1; nodeId <= size; nodeId += 1)
    nodes.push({ nodeId, port: await freePort(), controllerPort: await freePort() });
  return nodes;
}

async function quorumReady(brokers: string[], nodes: KafkaQuorumMember[]): Promise<boolean> {
  const dead = nodes.find((node) => !node.server.isRunning());
  if (dead)
    throw new FatalWaitError(
      `${dead.server.name} ${await dead.server.exited}:\n${dead.server.recentOutput()}`,
    );
  const admin = new Kafka({
    clientId: "conveyor-probe",
    brokers,
    logLevel: logLevel.NOTHING,
    retry: { retries: 0 },
  }).admin();
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    if (cluster.brokers.length < nodes.length) return false;
    // Ready means consumer groups work: this finds a group coordinator, creating __consumer_offsets at RF 3.
    await admin.describeGroups(["conveyor-probe"]);
    return true;
  } finally {
    await admin.disconnect();
  }
}
