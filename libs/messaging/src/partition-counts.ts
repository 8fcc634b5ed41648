import type { Admin } from "kafkajs";
import type { Message } from "kafkajs";
import { keyHash } from "./key-partitioner.ts";
import type { Topics } from "./topics.ts";
import { eventTopics } from "./topics.ts";

/** Partitions per topic, as the relay last learned them. */
export type PartitionCounts = ReadonlyMap<string, number>;

/** The partition counts of the topics the relay publishes events to (events and dead letters). */
export async function fetchPartitionCounts(admin: Admin, topics: Topics): Promise<PartitionCounts> {
  const { topics: found } = await admin.fetchTopicMetadata({
    topics: [...eventTopics(topics), topics.deadLetter],
  });
  return new Map(found.map(({ name, partitions }) => [name, partitions.length]));
}

/**
 * Where KeyHashPartitioner puts a message, given `counts`. A topic of unknown count counts as one
 * partition: every message of the topic in one batch, a bound that holds whatever its count.
 */
export function partitionOfKey(counts: PartitionCounts): (topic: string, message: Message) => number {
  return (topic, message) => {
    const count = counts.get(topic) ?? 1;
    return count > 1 && typeof message.key === "string" ? (keyHash(message) & 0x7fffffff) % count : 0;
  };
}
