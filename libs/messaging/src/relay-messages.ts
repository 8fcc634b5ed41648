import type { Message, TopicMessages } from "kafkajs";
import { cloudEventHeaders } from "./cloud-events.ts";
import { encodeOutboxRecord, type OutboxRecord } from "./envelope-codec.ts";
import { keyHashOf, murmur2, type HashedMessage } from "./key-partitioner.ts";
import { recordBatchOverhead, recordBytesBound, type RelayMessage } from "./partition-byte-cap.ts";
import type { Topics } from "./topics.ts";

/**
 * The Kafka messages of outbox rows, grouped by topic and kept in outbox order: the key is the aggregate
 * id, so one aggregate's events land on one partition in version order. A row that can't be encoded as
 * an event (unknown type, payload not matching its message) goes to the dead-letter topic as JSON with
 * the reason, rather than blocking every event behind it.
 */
export function relayMessages(records: OutboxRecord[], topics: Topics): TopicMessages[] {
  return groupByTopic(records.map((record) => relayMessage(record, topics)));
}

/** One row's Kafka message and topic (the dead-letter topic for a row that isn't an encodable event). */
export function relayMessage(record: OutboxRecord, topics: Topics): RelayMessage {
  try {
    const topic = topicOf(topics, record);
    const message: HashedMessage = {
      key: record.aggregateId,
      value: encodeOutboxRecord(record),
      headers: cloudEventHeaders(record),
      // Hashed once: the byte cap and the partitioner both place the message by it.
      [keyHashOf]: murmur2(record.aggregateId),
    };
    return { topic, message };
  } catch (error) {
    return { topic: topics.deadLetter, message: unencodableRow(record, error) };
  }
}

/**
 * The bytes the relay's byte cap counts for a record batch holding only this row's message (its
 * upper bound of the encoded batch): a row over `maxBatchBytes` by this measure is sent alone.
 */
export function relayBatchBytesOf(record: OutboxRecord, topics: Topics): number {
  return recordBatchOverhead + recordBytesBound(relayMessage(record, topics).message);
}

/** Messages grouped by topic, each topic's in the order given. */
export function groupByTopic(messages: RelayMessage[]): TopicMessages[] {
  const byTopic = new Map<string, Message[]>();
  for (const { topic, message } of messages) {
    const list = byTopic.get(topic);
    if (list) list.push(message);
    else byTopic.set(topic, [message]);
  }
  return [...byTopic].map(([topic, list]) => ({ topic, messages: list }));
}

function topicOf(topics: Topics, record: OutboxRecord): string {
  switch (record.aggregateType) {
    case "USER":
      return topics.users;
    case "ORDER":
      return topics.orders;
    case "TASK":
      return topics.tasks;
    default:
      throw new Error(`no topic for aggregate type ${String(record.aggregateType)}`);
  }
}

function unencodableRow(record: OutboxRecord, error: unknown): Message {
  return {
    key: record.aggregateId,
    value: Buffer.from(JSON.stringify(record)),
    headers: {
      "content-type": "application/json",
      dlt_reason: `outbox row ${record.id} is not an encodable event: ${String(error)}`,
      dlt_source: "outbox",
    },
  };
}
