import type { Admin, Producer } from "kafkajs";
import { eventTopics, type Topics } from "./topics.ts";
import { encodeWatermark, type PartitionOffset } from "./watermark-message.ts";

export interface WatermarkPublisher {
  /**
   * Publishes `horizon` with the topics' current end offsets if it moved on and a watermark is due.
   * Returns true while a later watermark is still owed (the horizon moved but the heartbeat was not due).
   */
  afterDrainedRound(horizon: bigint, publishedEvents: boolean): Promise<boolean>;
}

/**
 * Publishes relay watermarks on the watermark topic: right after a round that published events, and every
 * `heartbeatMs` while the horizon moves without events (requests that wrote nothing still get tokens).
 * Only call it after a round that drained the outbox: then every event of a transaction below `horizon`
 * has been acknowledged, so it sits below the end offsets read now.
 */
export function createWatermarkPublisher(
  producer: Producer,
  admin: Admin,
  topics: Topics,
  heartbeatMs: number,
): WatermarkPublisher {
  let last = -1n;
  let lastAt = 0;
  return {
    async afterDrainedRound(horizon, publishedEvents) {
      if (horizon <= last) return false;
      if (!publishedEvents && Date.now() - lastAt < heartbeatMs) return true;
      const offsets = await endOffsets(admin, eventTopics(topics));
      await producer.send({
        topic: topics.watermarks,
        acks: -1,
        messages: [
          {
            key: "watermark",
            value: encodeWatermark({ horizon, offsets }),
            headers: { "content-type": "application/json" },
          },
        ],
      });
      last = horizon;
      lastAt = Date.now();
      return false;
    },
  };
}

async function endOffsets(admin: Admin, topics: string[]): Promise<PartitionOffset[]> {
  const perTopic = await Promise.all(
    topics.map(async (topic) =>
      (await admin.fetchTopicOffsets(topic)).map(({ partition, offset }) => ({
        topic,
        partition,
        offset: BigInt(offset),
      })),
    ),
  );
  return perTopic.flat();
}
