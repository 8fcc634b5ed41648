import { setTimeout as delay } from "node:timers/promises";
import type { Admin } from "kafkajs";
import type { Topics } from "./topics.ts";

export interface EnsureWatermarkTopicOptions {
  /** How long to keep trying before the last error is thrown (default 60 s). */
  timeoutMs?: number;
  /** The pause between tries (default 200 ms). */
  intervalMs?: number;
}

/**
 * Creates the watermark topic (one partition: watermarks are read in order) unless it exists, and waits
 * until its leader serves it. The relay and the projector both call this at start, so neither depends on
 * the broker auto-creating topics. On a cluster of several brokers a fresh topic is unknown to some of
 * them for a moment (UNKNOWN_TOPIC_OR_PARTITION), and kafkajs' own wait for leaders asks any broker; so
 * this creates without waiting, then retries a request that needs the leader until one answers.
 */
export async function ensureWatermarkTopic(
  admin: Admin,
  topics: Topics,
  { timeoutMs = 60_000, intervalMs = 200 }: EnsureWatermarkTopicOptions = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await createUnlessListed(admin, topics.watermarks);
      // Listing offsets succeeds only once the partition's leader serves it.
      await admin.fetchTopicOffsets(topics.watermarks);
      return;
    } catch (error) {
      if (Date.now() >= deadline) throw error;
      await delay(intervalMs);
    }
  }
}

async function createUnlessListed(admin: Admin, topic: string): Promise<void> {
  if ((await admin.listTopics()).includes(topic)) return;
  // false (not an error) when a concurrent creator won the race.
  await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: false });
}
