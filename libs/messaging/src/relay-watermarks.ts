import type { Admin, Producer } from "kafkajs";
import { eventTopics, type Topics } from "./topics.ts";
import { encodeWatermark, type PartitionOffset } from "./watermark-message.ts";

export interface WatermarkPublisher {
  /**
   * Starts publishing `horizon` with the topics' end offsets (read once the publication starts) if the
   * horizon moved on, a watermark is due and none is in flight; the relay does not wait for it. Returns
   * true while a watermark is still owed (not due yet, or one was in flight), so the caller comes back soon.
   */
  offer(horizon: bigint, publishedEvents: boolean): boolean;
  /** Waits for the publication in flight, if any. */
  settle(): Promise<void>;
}

/**
 * Publishes relay watermarks on the watermark topic: right after a round that published events, and every
 * `heartbeatMs` while the horizon moves without events (requests that wrote nothing still get tokens).
 * Only offer a horizon after a round that drained the outbox: then every event of a transaction below it
 * has been acknowledged, so it sits below the end offsets read afterwards.
 */
export function createWatermarkPublisher(
  producer: Producer,
  admin: Admin,
  topics: Topics,
  heartbeatMs: number,
  onError: (error: unknown) => void,
): WatermarkPublisher {
  let last = -1n;
  let lastAt = 0;
  let inFlight: Promise<void> | undefined;
  const publish = async (horizon: bigint) => {
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
  };
  return {
    offer(horizon, publishedEvents) {
      if (horizon <= last) return false;
      if (inFlight || (!publishedEvents && Date.now() - lastAt < heartbeatMs)) return true;
      inFlight = publish(horizon)
        .catch(onError)
        .finally(() => (inFlight = undefined));
      return false;
    },
    async settle() {
      await inFlight;
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
