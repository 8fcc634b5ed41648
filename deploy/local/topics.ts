import { Kafka, logLevel } from "kafkajs";
import { eventTopics, topicsFor, type Topics } from "@conveyor/messaging";
import { waitFor } from "./wait-for.ts";

/**
 * Creates the event topics and the dead-letter topic of `prefix` (`partitions` partitions each) and the
 * one-partition watermark topic unless they exist, and waits until their partitions have leaders that
 * accept requests; safe to call again. Returns their names.
 */
export async function ensureTopics(brokers: string[], prefix: string, partitions = 3): Promise<Topics> {
  const topics = topicsFor(prefix);
  const wanted = [
    ...[...eventTopics(topics), topics.deadLetter].map((topic) => ({ topic, numPartitions: partitions })),
    // Watermarks are read in order: one partition.
    { topic: topics.watermarks, numPartitions: 1 },
  ];
  // Failures surface as exceptions; kafkajs' logs would only repeat the expected "not the leader yet" retries.
  const admin = new Kafka({ clientId: "conveyor-topics", brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = wanted.filter(({ topic }) => !existing.has(topic));
    // A concurrent creator makes this return false instead of throwing; that is fine too.
    if (missing.length > 0) await admin.createTopics({ topics: missing });
    // Metadata names a leader before that broker serves the partition; listing offsets waits for the latter.
    const served = (topic: string) => admin.fetchTopicOffsets(topic).then(() => true);
    await Promise.all(
      missing.map(({ topic }) =>
        waitFor(() => served(topic), { intervalMs: 50, description: `leaders of ${topic}` }),
      ),
    );
  } finally {
    await admin.disconnect();
  }
  return topics;
}
