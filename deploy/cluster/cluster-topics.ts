import { Kafka, logLevel } from "kafkajs";
import { eventTopics, topicsFor, type Topics } from "@conveyor/messaging";
import { waitFor } from "../local/wait-for.ts";

export interface ClusterTopicsOptions {
  /** Partitions of each event topic and of the dead-letter topic. */
  partitions: number;
  replicationFactor: number;
}

/**
 * Creates the topics of `prefix` unless they exist: the event and dead-letter topics with `partitions`
 * partitions and the one-partition watermark topic, all replicated; then waits until every partition's
 * leader serves it. Created here, before any service starts: kafkajs' own wait for leaders asks any broker
 * for the new topic's metadata and fails when that broker has not heard of it yet.
 */
export async function ensureClusterTopics(
  brokers: string[],
  prefix: string,
  { partitions, replicationFactor }: ClusterTopicsOptions,
): Promise<Topics> {
  const topics = topicsFor(prefix);
  const wanted = [
    ...[...eventTopics(topics), topics.deadLetter].map((topic) => ({ topic, numPartitions: partitions })),
    { topic: topics.watermarks, numPartitions: 1 },
  ];
  const admin = new Kafka({ clientId: "conveyor-topics", brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = wanted.filter(({ topic }) => !existing.has(topic));
    if (missing.length > 0)
      await admin.createTopics({
        topics: missing.map((topic) => ({ ...topic, replicationFactor })),
        waitForLeaders: false,
      });
    // Listing offsets succeeds only once each partition's leader serves it.
    const served = (topic: string) => admin.fetchTopicOffsets(topic).then(() => true);
    for (const { topic } of missing)
      await waitFor(() => served(topic), {
        timeoutMs: 60_000,
        intervalMs: 100,
        description: `leaders of ${topic}`,
      });
  } finally {
    await admin.disconnect();
  }
  return topics;
}
