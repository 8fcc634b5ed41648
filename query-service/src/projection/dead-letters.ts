import { setTimeout as delay } from "node:timers/promises";
import type { KafkaMessage, Message, Producer } from "kafkajs";

/** A message the projector gives up on, and why. */
export interface DeadLetter {
  message: KafkaMessage;
  reason: string;
}

export interface DeadLetterSendOptions {
  /** Sends of the whole set before the last error is thrown (default 5). */
  attempts?: number;
  /** The pause after the first failed send, doubled after each further one (default 200 ms). */
  pauseMs?: number;
}

/**
 * Sends poison messages to the dead-letter topic, unchanged (key, value, headers) plus headers naming the
 * reason and where they came from, and waits for Kafka's acknowledgement. The producer must not retry by
 * itself (`retry: { retries: 0 }`): on a leader change kafkajs' own retry can report a send acknowledged
 * with some messages never written (kafkajs issue #1303). So a failed send is sent again whole here; a
 * duplicate dead letter is harmless, a lost one is not. Throws once every attempt failed: the projector
 * then rolls the batch back and tries it again later.
 */
export async function sendDeadLetters(
  producer: Producer,
  deadLetterTopic: string,
  source: { topic: string; partition: number },
  letters: DeadLetter[],
  { attempts = 5, pauseMs = 200 }: DeadLetterSendOptions = {},
): Promise<void> {
  if (letters.length === 0) return;
  const messages = letters.map((letter) => deadLetterMessage(letter, source));
  for (let attempt = 1; ; attempt += 1) {
    try {
      await producer.send({ topic: deadLetterTopic, acks: -1, messages });
      return;
    } catch (error) {
      if (attempt >= attempts) throw error;
      await delay(pauseMs * 2 ** (attempt - 1));
    }
  }
}

function deadLetterMessage(
  { message, reason }: DeadLetter,
  source: { topic: string; partition: number },
): Message {
  return {
    key: message.key,
    value: message.value,
    headers: {
      ...message.headers,
      dlt_reason: reason,
      dlt_topic: source.topic,
      dlt_partition: String(source.partition),
      dlt_offset: message.offset,
      dlt_at: new Date().toISOString(),
    },
  };
}
