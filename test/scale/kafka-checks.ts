import { randomBytes } from "node:crypto";
import { Kafka, logLevel, type EachMessagePayload, type KafkaMessage } from "kafkajs";
import { decodeEnvelope } from "@conveyor/messaging";
import { waitFor } from "../harness/wait-for.ts";
import type { KafkaQuorum, KafkaQuorumMember } from "../../deploy/cluster/kafka-quorum.ts";

export interface PartitionState {
  topic: string;
  partition: number;
  leader: number;
  replicas: number[];
}

/** Every partition of `topics`, with its leader and replicas, asked of the nodes still running. */
export async function partitionStates(quorum: KafkaQuorum, topics: string[]): Promise<PartitionState[]> {
  return withAdmin(quorum, async (admin) => {
    const metadata = await admin.fetchTopicMetadata({ topics });
    return metadata.topics.flatMap(({ name, partitions }) =>
      partitions.map((p) => ({
        topic: name,
        partition: p.partitionId,
        leader: p.leader,
        replicas: p.replicas,
      })),
    );
  });
}

/** The node leading the most partitions of `topics`: killing it moves the most leadership. */
export async function busiestNode(quorum: KafkaQuorum, topics: string[]): Promise<KafkaQuorumMember> {
  const states = await partitionStates(quorum, topics);
  const led = (node: KafkaQuorumMember) => states.filter((state) => state.leader === node.nodeId).length;
  return quorum.nodes.reduce((busiest, node) => (led(node) > led(busiest) ? node : busiest));
}

/** Members of a consumer group. */
export async function groupMembers(quorum: KafkaQuorum, groupId: string): Promise<number> {
  return withAdmin(quorum, async (admin) => {
    const { groups } = await admin.describeGroups([groupId]);
    return groups[0]?.members.length ?? 0;
  });
}

/** Messages ever written to `topic` (the sum of its partitions' high-water marks). */
export async function messagesIn(quorum: KafkaQuorum, topic: string): Promise<number> {
  return withAdmin(quorum, async (admin) => {
    const offsets = await admin.fetchTopicOffsets(topic);
    return offsets.reduce((sum, { high, low }) => sum + Number(high) - Number(low), 0);
  });
}

export interface DeadLetter {
  key: string;
  /** Why the projector gave up on it (the dlt_reason header). */
  reason: string;
  /** Where it was read from, e.g. "conveyor.users.v1/3@120". */
  source: string;
}

/** Every message on the dead-letter topic, read from the start. */
export async function deadLetters(quorum: KafkaQuorum, topic: string): Promise<DeadLetter[]> {
  const header = (message: KafkaMessage, name: string) => message.headers?.[name]?.toString() ?? "";
  return readAll(quorum, [topic], ({ message }) => ({
    key: message.key?.toString() ?? "",
    reason: header(message, "dlt_reason"),
    source: `${header(message, "dlt_topic")}/${header(message, "dlt_partition")}@${header(message, "dlt_offset")}`,
  }));
}

/** Where each event of the aggregates `ids` sits in the event topics: "id topic/partition@offset v<version> type". */
export async function eventHistory(
  quorum: KafkaQuorum,
  topics: string[],
  ids: Set<string>,
): Promise<string[]> {
  if (ids.size === 0) return [];
  const entries = await readAll(quorum, topics, ({ topic, partition, message }) => {
    const key = message.key?.toString() ?? "";
    if (!ids.has(key)) return undefined;
    const envelope = decodeEnvelope(message.value!);
    return `${key} ${topic}/${partition}@${message.offset} v${envelope.aggregateVersion} ${envelope.eventType}`;
  });
  return entries.filter((entry): entry is string => entry !== undefined).sort();
}

/** Reads `topics` from the beginning to their current end in a group of its own, mapping each message. */
async function readAll<T>(
  quorum: KafkaQuorum,
  topics: string[],
  map: (payload: EachMessagePayload) => T,
): Promise<T[]> {
  let count = 0;
  for (const topic of topics) count += await messagesIn(quorum, topic);
  if (count === 0) return [];
  const groupId = `scale-test-${randomBytes(4).toString("hex")}`;
  const kafka = new Kafka({ clientId: groupId, brokers: liveBrokers(quorum), logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 100 });
  const read: T[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topics, fromBeginning: true });
    await consumer.run({
      eachMessage: (payload) => {
        read.push(map(payload));
        return Promise.resolve();
      },
    });
    await waitFor(() => read.length >= count, {
      timeoutMs: 60_000,
      description: () => `${count} messages, have ${read.length}`,
    });
    return read;
  } finally {
    await consumer.disconnect();
  }
}

function liveBrokers(quorum: KafkaQuorum): string[] {
  return quorum.nodes.filter((node) => node.server.isRunning()).map((node) => node.broker);
}

async function withAdmin<T>(quorum: KafkaQuorum, work: (admin: ReturnType<Kafka["admin"]>) => Promise<T>) {
  const admin = new Kafka({
    clientId: "scale-test",
    brokers: liveBrokers(quorum),
    logLevel: logLevel.NOTHING,
  }).admin();
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.disconnect();
  }
}
