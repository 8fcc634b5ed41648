import { decodeEnvelope } from "@conveyor/messaging";
import { testKafka, waitForMessages } from "../../harness/kafka.ts";

/** One aggregate's events as Kafka holds them, redeliveries folded (same event id). */
export interface AggregateEvents {
  /** Event id by aggregate version. */
  versions: Map<bigint, string>;
  /** Events per correlation id (the request that wrote them). */
  byRequest: Map<string, number>;
}

export interface EventLog {
  aggregates: Map<string, AggregateEvents>;
  /** Messages read, redeliveries included. */
  messages: number;
  /** Redelivered events (same event id again): allowed, delivery is at least once. */
  redelivered: number;
  /** Two different events claiming the same aggregate version. */
  clashes: string[];
}

/** Messages ever written to `topics` (the sum of their partitions' high-water marks). */
export async function messagesIn(topics: string[]): Promise<number> {
  const admin = testKafka("load-test-admin").admin();
  await admin.connect();
  try {
    let total = 0;
    for (const topic of topics)
      for (const { high, low } of await admin.fetchTopicOffsets(topic)) total += Number(high) - Number(low);
    return total;
  } finally {
    await admin.disconnect();
  }
}

/** Reads every event of `topics` from the beginning and folds them per aggregate. */
export async function readEventLog(topics: string[]): Promise<EventLog> {
  const count = await messagesIn(topics);
  const messages = count === 0 ? [] : await waitForMessages(topics, { count, timeoutMs: 180_000 });
  const log: EventLog = { aggregates: new Map(), messages: messages.length, redelivered: 0, clashes: [] };
  for (const message of messages) {
    const envelope = decodeEnvelope(message.value!);
    let aggregate = log.aggregates.get(envelope.aggregateId);
    if (!aggregate)
      log.aggregates.set(envelope.aggregateId, (aggregate = { versions: new Map(), byRequest: new Map() }));
    const seen = aggregate.versions.get(envelope.aggregateVersion);
    if (seen === envelope.eventId) {
      log.redelivered += 1;
      continue;
    }
    if (seen !== undefined) {
      log.clashes.push(
        `${envelope.aggregateId} v${envelope.aggregateVersion}: events ${seen} and ${envelope.eventId}`,
      );
      continue;
    }
    aggregate.versions.set(envelope.aggregateVersion, envelope.eventId);
    aggregate.byRequest.set(
      envelope.correlationId,
      (aggregate.byRequest.get(envelope.correlationId) ?? 0) + 1,
    );
  }
  return log;
}
