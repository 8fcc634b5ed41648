import type { Pool } from "pg";
import type { Consumer, EachBatchPayload } from "kafkajs";
import type { Logger } from "@conveyor/runtime";
import { decodeEnvelope } from "@conveyor/messaging";
import type { EventEnvelope } from "@conveyor/proto/conveyor/events/v1/events_pb";
import { projectUserEvent } from "./user-projection.ts";

export interface ProjectorOptions {
  pool: Pool;
  consumer: Consumer;
  topics: string[];
  logger: Logger;
}

/**
 * Applies each fetched batch of events in one read-DB transaction, then commits the Kafka offsets:
 * a crash in between redelivers the batch, and the version checks make the replay change nothing.
 */
export async function startProjector({ pool, consumer, topics, logger }: ProjectorOptions): Promise<void> {
  await consumer.subscribe({ topics, fromBeginning: true });
  await consumer.run({
    eachBatchAutoResolve: false,
    autoCommit: false,
    eachBatch: async (payload) => {
      await applyBatch(pool, payload.batch.messages.map((m) => decodeEnvelope(m.value!)));
      await commitBatch(payload);
      logger.debug({ topic: payload.batch.topic, events: payload.batch.messages.length }, "projected batch");
    },
  });
}

async function applyBatch(pool: Pool, events: EventEnvelope[]) {
  const db = await pool.connect();
  try {
    await db.query("BEGIN");
    for (const event of events) await projectUserEvent(db, event);
    await db.query("COMMIT");
  } catch (error) {
    await db.query("ROLLBACK");
    throw error;
  } finally {
    db.release();
  }
}

async function commitBatch({ batch, resolveOffset, commitOffsetsIfNecessary }: EachBatchPayload) {
  resolveOffset(batch.lastOffset());
  await commitOffsetsIfNecessary();
}
