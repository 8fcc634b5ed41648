import { randomBytes } from "node:crypto";
import type { KafkaMessage } from "kafkajs";
import { testConsumer } from "../../../../test/harness/kafka.ts";

export type CollectedMessage = KafkaMessage & { topic: string; partition: number };

export interface MessageCollector {
  messages: CollectedMessage[];
  stop(): Promise<void>;
}

/** Reads `topics` from the beginning, in a group of its own, into `messages` until stopped. */
export async function collectMessages(topics: string[]): Promise<MessageCollector> {
  const consumer = testConsumer(`test-collector-${randomBytes(4).toString("hex")}`);
  const messages: CollectedMessage[] = [];
  await consumer.connect();
  await consumer.subscribe({ topics, fromBeginning: true });
  await consumer.run({
    eachMessage: ({ topic, partition, message }) => {
      messages.push({ ...message, topic, partition });
      return Promise.resolve();
    },
  });
  return { messages, stop: () => consumer.disconnect() };
}
