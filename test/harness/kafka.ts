import { randomBytes } from "node:crypto";
import { Kafka, logLevel, type Consumer, type IHeaders } from "kafkajs";
import { inject } from "vitest";
import type { Topics } from "@conveyor/messaging";
import { ensureTopics } from "../../deploy/local/topics.ts";
import { waitFor } from "./wait-for.ts";

/** The test run's Kafka bootstrap brokers. */
export function kafkaBrokers(): string[] {
  return inject("kafkaBrokers");
}

/** A kafkajs client for the test Kafka, logging warnings and errors only. */
export function testKafka(clientId: string): Kafka {
  return new Kafka({ clientId, brokers: kafkaBrokers(), logLevel: logLevel.WARN });
}

/**
 * A consumer for the test Kafka. Its fetches wait at most 100 ms for data: disconnect() waits for the
 * fetch in flight, 5 s with kafkajs' default.
 */
export function testConsumer(groupId: string): Consumer {
  return testKafka(groupId).consumer({ groupId, maxWaitTimeInMs: 100 });
}

/** A topic prefix nothing else uses, e.g. "test.outbox-relay.3f9a1c2b"; topicsFor(prefix) names its topics. */
export function uniqueTopicPrefix(label: string): string {
  return `test.${label.toLowerCase().replace(/[^a-z0-9-]+/g, "-")}.${randomBytes(4).toString("hex")}`;
}

/** Creates the event topics and the dead-letter topic of `prefix` on the test Kafka. */
export function ensureTestTopics(prefix: string, partitions = 3): Promise<Topics> {
  return ensureTopics(kafkaBrokers(), prefix, partitions);
}

export interface ReceivedMessage {
  topic: string;
  partition: number;
  offset: string;
  key: string | undefined;
  value: Buffer | null;
  headers: Record<string, string>;
}

export interface WaitForMessagesOptions {
  /** Resolves once at least this many messages arrived. */
  count: number;
  timeoutMs?: number;
}

/**
 * Reads `topics` from the beginning in a consumer group of its own until at least `count` messages
 * arrived, and returns them in arrival order (ordered within each partition).
 */
export async function waitForMessages(
  topics: string[],
  { count, timeoutMs = 30_000 }: WaitForMessagesOptions,
): Promise<ReceivedMessage[]> {
  const consumer = testConsumer(`test-reader-${randomBytes(4).toString("hex")}`);
  const received: ReceivedMessage[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topics, fromBeginning: true });
    await consumer.run({
      eachMessage: ({ topic, partition, message }) => {
        const { offset, key, value, headers } = message;
        received.push({
          topic,
          partition,
          offset,
          key: key?.toString(),
          value,
          headers: headerStrings(headers),
        });
        return Promise.resolve();
      },
    });
    await waitFor(() => received.length >= count, {
      timeoutMs,
      description: () => `${count} message(s) on ${topics.join(", ")}, got ${received.length}`,
    });
    return received;
  } finally {
    await consumer.disconnect();
  }
}

function headerStrings(headers: IHeaders = {}): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, String(value)]));
}
