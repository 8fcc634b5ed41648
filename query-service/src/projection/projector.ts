import type { Pool } from "pg";
import { Partitioners, type Consumer, type EachBatchPayload, type Kafka } from "kafkajs";
import type { Logger } from "@conveyor/runtime";
import { createWakeSignal, ensureWatermarkTopic, eventTopics, type Topics } from "@conveyor/messaging";
import { isRetriableDatabaseError } from "./db-errors.ts";
import { traceAppliedBatch } from "./event-traces.ts";
import { projectBatch, type BatchContext, type BatchOutcome } from "./project-batch.ts";
import { createProjectorStats, type ProjectorStatsSnapshot } from "./projector-stats.ts";

export interface ProjectorOptions {
  pool: Pool;
  kafka: Kafka;
  topics: Topics;
  groupId: string;
  logger: Logger;
  /** Attempts at one event the database refuses before it is dead-lettered. */
  eventAttempts?: number;
  /** The longest pause between tries while the read database is unreachable. */
  maxDatabaseBackoffMs?: number;
  /** How often the projector logs its lag and rate. */
  statsIntervalMs?: number;
  /** How long the group waits for a silent member (e.g. a killed process) before handing its partitions on. */
  sessionTimeoutMs?: number;
  /** Bytes fetched per partition and request: bigger batches, fewer transactions. */
  maxBytesPerPartition?: number;
  /**
   * Partition batches applied at once (each in its own transaction, one partition's batches still in
   * order): while one waits for the database, another is decoded. Partitions are already applied
   * concurrently by separate replicas, which the position rows and customer locks make safe.
   */
  partitionsConsumedConcurrently?: number;
}

export interface Projector {
  stats(): ProjectorStatsSnapshot;
  /** Finishes the batch in hand (or abandons it uncommitted while the database is down) and leaves the group. */
  stop(): Promise<void>;
}

/**
 * Starts the projector: a consumer group over the event topics and the watermark topic that applies each
 * fetched partition batch in one read-DB transaction, then resolves (and periodically commits) the offsets. While the read database
 * is unreachable it keeps the batch, heartbeats, and retries with backoff; consumption resumes by itself.
 */
export async function startProjector(options: ProjectorOptions): Promise<Projector> {
  const { kafka, topics, logger } = options;
  const consumer = kafka.consumer({
    groupId: options.groupId,
    maxBytesPerPartition: options.maxBytesPerPartition ?? 8 * 1024 * 1024,
    maxBytes: 64 * 1024 * 1024,
    maxWaitTimeInMs: 250,
    sessionTimeout: options.sessionTimeoutMs ?? 30_000,
  });
  // Dead letters only. No kafkajs-internal retries (kafkajs #1303 can drop messages on a leader change):
  // sendDeadLetters re-sends a failed send whole.
  const producer = kafka.producer({
    createPartitioner: Partitioners.DefaultPartitioner,
    retry: { retries: 0 },
  });
  const admin = kafka.admin();
  await Promise.all([consumer.connect(), producer.connect(), admin.connect()]);
  await ensureWatermarkTopic(admin, topics);
  await admin.disconnect();
  const stats = createProjectorStats();
  const wake = createWakeSignal();
  let running = true;
  const context: BatchContext = {
    pool: options.pool,
    producer,
    topics,
    eventAttempts: options.eventAttempts ?? 3,
  };
  const maxBackoffMs = options.maxDatabaseBackoffMs ?? 5000;
  await consumer.subscribe({ topics: [...eventTopics(topics), topics.watermarks], fromBeginning: true });
  await consumer.run({
    // Offsets are resolved only after the database commit; the read model's own position stays authoritative.
    autoCommit: true,
    autoCommitInterval: 1000,
    eachBatchAutoResolve: false,
    partitionsConsumedConcurrently: options.partitionsConsumedConcurrently ?? 3,
    eachBatch: async (payload) => {
      const startedAt = new Date();
      const outcome = await untilApplied(payload, context, {
        logger,
        stats,
        wake,
        maxBackoffMs,
        isRunning: () => running,
      });
      if (outcome) await finishBatch(consumer, payload, outcome, stats);
      if (outcome?.kind === "applied" && payload.batch.topic !== topics.watermarks)
        traceAppliedBatch(logger, { ...payload.batch, startedAt });
    },
  });
  const statsTimer = setInterval(() => stats.log(logger), options.statsIntervalMs ?? 10_000);
  statsTimer.unref();
  return {
    stats: () => stats.snapshot(),
    async stop() {
      running = false;
      clearInterval(statsTimer);
      wake.wake();
      await consumer.disconnect();
      await producer.disconnect();
    },
  };
}

interface RetryContext {
  logger: Logger;
  stats: ReturnType<typeof createProjectorStats>;
  wake: ReturnType<typeof createWakeSignal>;
  maxBackoffMs: number;
  isRunning: () => boolean;
}

/** Applies the batch, waiting out database outages; undefined when the consumer stopped or moved on first. */
async function untilApplied(
  payload: EachBatchPayload,
  context: BatchContext,
  retry: RetryContext,
): Promise<BatchOutcome | undefined> {
  const { batch } = payload;
  let backoffMs = 100;
  const partitionBatch = { topic: batch.topic, partition: batch.partition, messages: batch.messages };
  while (retry.isRunning() && payload.isRunning() && !payload.isStale()) {
    try {
      const outcome = await projectBatch(context, partitionBatch);
      if (backoffMs > 100) retry.logger.info("read database is back; projecting again");
      retry.stats.setWaitingForDatabase(false);
      return outcome;
    } catch (error) {
      if (!isRetriableDatabaseError(error)) throw error;
      retry.stats.setWaitingForDatabase(true);
      retry.logger.warn(
        { err: error, retryInMs: backoffMs },
        "read database unavailable; consumption paused",
      );
      await retry.wake.sleep(backoffMs);
      backoffMs = Math.min(backoffMs * 2, retry.maxBackoffMs);
      await payload.heartbeat().catch(() => undefined);
    }
  }
  return undefined;
}

async function finishBatch(
  consumer: Consumer,
  payload: EachBatchPayload,
  outcome: BatchOutcome,
  stats: ReturnType<typeof createProjectorStats>,
) {
  const { batch } = payload;
  if (outcome.kind === "seek") {
    consumer.seek({ topic: batch.topic, partition: batch.partition, offset: outcome.offset.toString() });
    return;
  }
  payload.resolveOffset(batch.lastOffset());
  await payload.commitOffsetsIfNecessary();
  stats.batchApplied(
    batch.topic,
    batch.partition,
    outcome.events,
    outcome.deadLettered,
    Number(batch.offsetLag()),
  );
}
