import type { Admin } from "kafkajs";
import type { Topics } from "./topics.ts";

/**
 * Creates the watermark topic (one partition: watermarks are read in order) unless it exists. The relay
 * and the projector both call this at start, so neither depends on the broker auto-creating topics.
 */
export async function ensureWatermarkTopic(admin: Admin, topics: Topics): Promise<void> {
  const existing = await admin.listTopics();
  if (existing.includes(topics.watermarks)) return;
  // false (not an error) when a concurrent creator won the race.
  await admin.createTopics({
    topics: [{ topic: topics.watermarks, numPartitions: 1 }],
    waitForLeaders: true,
  });
}
