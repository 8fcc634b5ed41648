import type { KafkaMessage, Producer } from "kafkajs";

/** A message the projector gives up on, and why. */
export interface DeadLetter {
  message: KafkaMessage;
  reason: string;
}

/**
 * Sends poison messages to the dead-letter topic, unchanged (key, value, headers) plus headers naming the
 * reason and where they came from, and waits for Kafka's acknowledgement.
 */
export async function sendDeadLetters(
  producer: Producer,
  deadLetterTopic: string,
  source: { topic: string; partition: number },
  letters: DeadLetter[],
): Promise<void> {
  if (letters.length === 0) return;
  await producer.send({
    topic: deadLetterTopic,
    acks: -1,
    messages: letters.map(({ message, reason }) => ({
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
    })),
  });
}
