import { randomBytes } from "node:crypto";
import { Kafka, logLevel, type Admin } from "kafkajs";
import { decodeEnvelope } from "@conveyor/messaging";
import { waitFor } from "../../harness/wait-for.ts";

/** What the event topics hold, per aggregate: the versions seen and how often each was delivered. */
export interface EventLog {
  /** Messages on the event topics. */
  messages: number;
  /** Distinct (aggregate, version) pairs. */
  events: number;
  /** Messages repeating an (aggregate, version) pair already on the topics: the relay sent them twice. */
  duplicates: number;
  /** Versions seen per aggregate id. */
  versions: Map<string, Set<bigint>>;
}

/** Each partition's end offset (the offset the next message gets) of `topics`, as "topic/partition". */
export async function endOffsets(admin: Admin, topics: string[]): Promise<Map<string, bigint>> {
  const ends = new Map<string, bigint>();
  for (const topic of topics)
    for (const { partition, high } of await admin.fetchTopicOffsets(topic))
      ends.set(`${topic}/${partition}`, BigInt(high));
  return ends;
}

/** Messages ever written to `topics`. */
export async function messageCount(brokers: string[], topics: string[]): Promise<number> {
  return withAdmin(brokers, async (admin) => {
    let count = 0n;
    for (const end of (await endOffsets(admin, topics)).values()) count += end;
    return Number(count);
  });
}

/** Reads the event topics from the start to their current end and decodes every envelope. */
export async function readEventLog(brokers: string[], topics: string[]): Promise<EventLog> {
  const count = await messageCount(brokers, topics);
  const log: EventLog = { messages: 0, events: 0, duplicates: 0, versions: new Map() };
  if (count === 0) return log;
  const groupId = `fault-test-reader-${randomBytes(4).toString("hex")}`;
  const kafka = new Kafka({ clientId: groupId, brokers, logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 100 });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics, fromBeginning: true });
    await consumer.run({
      eachMessage: ({ message }) => {
        const envelope = decodeEnvelope(message.value!);
        const seen = log.versions.get(envelope.aggregateId) ?? new Set<bigint>();
        log.versions.set(envelope.aggregateId, seen);
        log.messages += 1;
        if (seen.has(envelope.aggregateVersion)) log.duplicates += 1;
        else seen.add(envelope.aggregateVersion);
        return Promise.resolve();
      },
    });
    await waitFor(() => log.messages >= count, {
      timeoutMs: 120_000,
      description: () => `${count} messages on the event topics, read ${log.messages}`,
    });
  } finally {
    await consumer.disconnect();
    await withAdmin(brokers, (admin) => admin.deleteGroups([groupId])).catch(() => undefined);
  }
  log.events = log.messages - log.duplicates;
  return log;
}

export async function withAdmin<T>(brokers: string[], work: (admin: Admin) => Promise<T>): Promise<T> {
  const admin = new Kafka({ clientId: "fault-test", brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.disconnect();
  }
}
