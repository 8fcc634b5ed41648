import type { Pool } from "pg";
import type { Producer } from "kafkajs";
import type { Logger } from "@conveyor/runtime";
import { encodeEnvelope, envelopeOf, type OutboxRecord } from "./envelope-codec.ts";
import { topicForAggregate, type Topics } from "./topics.ts";

export interface OutboxRelayOptions {
  pool: Pool;
  producer: Producer;
  topics: Topics;
  logger: Logger;
  /** Rows fetched and sent per round. */
  batchSize?: number;
  /** How long to wait before looking again when the outbox was empty. */
  idleMs?: number;
}

export interface OutboxRelay {
  stop(): Promise<void>;
}

/**
 * Publishes unpublished outbox rows to Kafka in id order, keyed by aggregate id, and marks them
 * published only after Kafka acknowledged them: a crash in between yields a duplicate, never a loss.
 */
export function startOutboxRelay(options: OutboxRelayOptions): OutboxRelay {
  const { logger, idleMs = 50 } = options;
  let running = true;
  const loop = (async () => {
    while (running) {
      try {
        const published = await relayOnce(options);
        if (published === 0) await delay(idleMs);
      } catch (error) {
        logger.warn({ err: error }, "outbox relay round failed; retrying");
        await delay(1000);
      }
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
    },
  };
}

/** One round: read a batch of unpublished rows, send them, mark them. Returns how many were published. */
export async function relayOnce(options: OutboxRelayOptions): Promise<number> {
  const records = await readUnpublished(options.pool, options.batchSize ?? 1000);
  if (records.length === 0) return 0;
  await options.producer.sendBatch({
    acks: -1,
    topicMessages: groupByTopic(records, options.topics),
  });
  await options.pool.query("UPDATE outbox SET published_at = now() WHERE id = ANY($1::int8[])", [
    records.map((r) => r.id),
  ]);
  return records.length;
}

async function readUnpublished(pool: Pool, limit: number): Promise<OutboxRecord[]> {
  const { rows } = await pool.query<OutboxRecord>(
    `SELECT id, event_id AS "eventId", aggregate_type AS "aggregateType", aggregate_id AS "aggregateId",
       aggregate_version::float8 AS "aggregateVersion", event_type AS "eventType", payload,
       occurred_at AS "occurredAt", correlation_id AS "correlationId", causation_id AS "causationId"
     FROM outbox WHERE published_at IS NULL ORDER BY id LIMIT $1`,
    [limit],
  );
  return rows;
}

function groupByTopic(records: OutboxRecord[], topics: Topics) {
  const byTopic = new Map<string, { key: string; value: Buffer; headers: Record<string, string> }[]>();
  for (const record of records) {
    const envelope = envelopeOf(record);
    const topic = topicForAggregate(topics, envelope.aggregateType);
    const messages = byTopic.get(topic) ?? [];
    messages.push({
      key: record.aggregateId,
      value: Buffer.from(encodeEnvelope(envelope)),
      headers: { "content-type": "application/protobuf", ce_type: record.eventType, ce_id: record.eventId },
    });
    byTopic.set(topic, messages);
  }
  return [...byTopic].map(([topic, messages]) => ({ topic, messages }));
}

function delay(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
