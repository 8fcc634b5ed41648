import type { Message, TopicMessages } from "kafkajs";
import { cloudEventHeaders } from "./cloud-events.ts";
import { encodeOutboxRecord, type OutboxRecord } from "./envelope-codec.ts";
import type { Topics } from "./topics.ts";

/**
 * The Kafka messages of outbox rows, grouped by topic and kept in outbox order: the key is the aggregate
 * id, so one aggregate's events land on one partition in version order. A row that can't be encoded as
 * an event (unknown type, payload not matching its message) goes to the dead-letter topic as JSON with
 * the reason, rather than blocking every event behind it.
 */
export function relayMessages(records: OutboxRecord[], topics: Topics): TopicMessages[] {
  const byTopic = new Map<string, Message[]>();
  const add = (topic: string, message: Message) => {
    const messages = byTopic.get(topic);
    if (messages) messages.push(message);
    else byTopic.set(topic, [message]);
  };
  for (const record of records) {
    try {
      add(topicOf(topics, record), {
        key: record.aggregateId,
        value: encodeOutboxRecord(record),
        headers: cloudEventHeaders(record),
      });
    } catch (error) {
      add(topics.deadLetter, unencodableRow(record, error));
    }
  }
  return [...byTopic].map(([topic, messages]) => ({ topic, messages }));
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
