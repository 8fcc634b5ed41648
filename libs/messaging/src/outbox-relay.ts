import pg from "pg";
import type { Admin, Kafka, Producer, TopicMessages } from "kafkajs";
import type { OutboxRecord } from "./envelope-codec.ts";
import type { Logger } from "@conveyor/runtime";
import { createRelayStats, type RelayStats, type RelayStatsSnapshot } from "./relay-stats.ts";
import { KeyHashPartitioner } from "./key-partitioner.ts";
import { speedUpKafkajsEncoder } from "./kafkajs-encoder.ts";
import { acquireRelayLock } from "./relay-leadership.ts";
import { groupByTopic, relayMessage } from "./relay-messages.ts";
import { cutAtPartitionBytes, type RelayMessage } from "./partition-byte-cap.ts";
import { fetchPartitionCounts, partitionOfKey, type PartitionCounts } from "./partition-counts.ts";
import { advanceScanFloor, initialScanFloor } from "./scan-floor.ts";
import { createWatermarkPublisher, type WatermarkPublisher } from "./relay-watermarks.ts";
import { deletePublished, outboxChannel, readOutboxBatch, type OutboxBatch } from "./outbox-table.ts";
import type { Topics } from "./topics.ts";
import { createWakeSignal, type WakeSignal } from "./wake-signal.ts";
import { ensureWatermarkTopic } from "./watermark-topic.ts";

export interface OutboxRelayOptions {
  /** The write database; the relay holds one connection of its own (lock, LISTEN and all its queries). */
  databaseUrl: string;
  kafka: Kafka;
  topics: Topics;
  logger: Logger;
  /** Rows read, sent and deleted per round. */
  batchSize?: number;
  /**
   * The most bytes a round sends to one partition (one record batch). Kept well under the broker's
   * message.max.bytes (1 MiB by default), which refuses a larger batch: a round is cut at this size,
   * and the rest of its rows lead the next round. One event larger than this is sent alone.
   */
  maxBatchBytes?: number;
  /** Polling fallback: the longest wait for a NOTIFY before looking at the outbox anyway. */
  pollMs?: number;
  /** How often a standby tries to take over, and the pause after a lost database connection. */
  failoverMs?: number;
  /** The pause before retrying a send that Kafka refused. */
  kafkaRetryMs?: number;
  /** How soon a watermark follows a horizon that moved without events (requests that wrote nothing). */
  watermarkHeartbeatMs?: number;
  /** How often the leader logs its backlog and rate. */
  statsIntervalMs?: number;
}

export interface OutboxRelay {
  /** Backlog, throughput and leadership, for logs and metrics. */
  stats(): RelayStatsSnapshot;
  stop(): Promise<void>;
}

/** The relay's per-partition byte cap unless told otherwise: half the broker's default 1 MiB limit. */
export const defaultMaxBatchBytes = 512 * 1024;

const defaults = {
  batchSize: 2000,
  maxBatchBytes: defaultMaxBatchBytes,
  pollMs: 500,
  failoverMs: 1000,
  kafkaRetryMs: 1000,
  watermarkHeartbeatMs: 50,
  statsIntervalMs: 10_000,
};

/**
 * Starts an outbox relay. Of all relays of one write database only the holder of an advisory lock
 * publishes; the others wait to take over. The leader wakes on NOTIFY (polling as a fallback), publishes
 * committed rows in batches, keyed by aggregate id, with CloudEvents headers, and deletes them only after
 * Kafka acknowledged them: a crash in between yields duplicates, never a loss. While Kafka is down, rows
 * wait in the outbox and writes go on; the backlog drains once Kafka is back.
 */
export function startOutboxRelay(options: OutboxRelayOptions): OutboxRelay {
  const settings = { ...defaults, ...definedOnly(options) };
  speedUpKafkajsEncoder();
  const wake = createWakeSignal();
  const stats = createRelayStats();
  let running = true;
  const isRunning = () => running;
  const loop = (async () => {
    // No kafkajs-internal retries: when a partition's leader moves during a send, kafkajs' retry skips
    // the brokers that already answered and can report the batch acknowledged with that partition's
    // messages unsent (kafkajs issue #1303). A failed send is re-sent whole by the loop below instead.
    const producer = options.kafka.producer({
      createPartitioner: KeyHashPartitioner,
      retry: { retries: 0 },
    });
    const admin = options.kafka.admin();
    await connectKafka(producer, admin, options, wake, isRunning);
    const watermarks = createWatermarkPublisher(
      producer,
      admin,
      options.topics,
      settings.watermarkHeartbeatMs,
      (error) => options.logger.warn({ err: error }, "could not publish a relay watermark; trying again"),
    );
    while (running) {
      try {
        // Settings last: an option passed as undefined keeps its default.
        const leader = { ...options, ...settings, producer, admin, watermarks, wake, stats, isRunning };
        await leadWhileConnected(leader);
      } catch (error) {
        stats.setLeader(false);
        options.logger.warn({ err: error }, "outbox relay lost its database connection; reconnecting");
        await wake.sleep(settings.failoverMs);
      }
    }
    await watermarks.settle();
    await Promise.allSettled([producer.disconnect(), admin.disconnect()]);
  })();
  return {
    stats: () => stats.snapshot(),
    async stop() {
      running = false;
      wake.wake();
      await loop;
    },
  };
}

type LeaderContext = typeof defaults &
  OutboxRelayOptions & {
    producer: Producer;
    admin: Admin;
    watermarks: WatermarkPublisher;
    wake: WakeSignal;
    stats: RelayStats;
    isRunning: () => boolean;
  };

async function leadWhileConnected(context: LeaderContext): Promise<void> {
  const db = new pg.Client({
    connectionString: context.databaseUrl,
    application_name: "conveyor-outbox-relay",
    keepAlive: true,
  });
  const lost = new Promise<never>((_, reject) => db.on("error", reject));
  lost.catch(() => undefined);
  await db.connect();
  try {
    const pause = () => context.wake.sleep(context.failoverMs);
    if (!(await Promise.race([acquireRelayLock(db, pause, context.isRunning), lost]))) return;
    context.stats.setLeader(true);
    context.logger.info("outbox relay is the leader");
    db.on("notification", () => context.wake.wake());
    await db.query(`LISTEN ${outboxChannel}`);
    await Promise.race([publishWhileLeader(db, context), lost]);
  } finally {
    context.stats.setLeader(false);
    await db.end().catch(() => undefined);
  }
}

/** A batch of outbox rows read for a round, the leading ones sent this round, and their messages. */
interface Round {
  batch: OutboxBatch;
  /** The batch's leading rows whose messages fit the per-partition byte cap. */
  records: OutboxRecord[];
  messages: TopicMessages[];
  /** The messages of the batch's other rows, by outbox id: the next round reads them again. */
  leftover: ReadonlyMap<string, RelayMessage>;
  /** Set when the round is one event over the byte cap. */
  oversized?: { id: string; bytes: number };
}

async function publishWhileLeader(db: pg.Client, context: LeaderContext): Promise<void> {
  // Per leadership: a new leader rescans from the first id once.
  let scan = initialScanFloor;
  let nextStatsAt = Date.now() + context.statsIntervalMs;
  let ahead: Promise<Round> | undefined;
  let partitions = await readPartitionCounts(context);
  let encoded: ReadonlyMap<string, RelayMessage> = new Map();
  while (context.isRunning()) {
    const round = await (ahead ?? readRound(db, context, scan.floor, [], encoded, partitions));
    ahead = undefined;
    encoded = round.leftover;
    const { batch, records, messages } = round;
    // Full: a backlog, because the batch hit its row limit or was cut at the byte cap.
    const full = batch.records.length === context.batchSize || records.length < batch.records.length;
    if (records.length > 0) {
      if (round.oversized) reportOversized(context, round.oversized);
      const sent = sendAcknowledged(context, records, messages, round.oversized);
      // A full batch means a backlog: read and encode the next round while Kafka acknowledges this
      // one. It leaves out this batch's rows, as if they were deleted already (they are, once
      // acknowledged); if the send fails, the next round is dropped unsent and this one repeats.
      const next = full ? readRound(db, context, scan.floor, records, encoded, partitions) : undefined;
      next?.catch(() => undefined); // awaited below unless the relay stops first
      if (!(await sent)) {
        await next?.catch(() => undefined);
        // The refusal may come from a partition count that changed: cut per topic until the next
        // count, a bound that holds whatever the count.
        partitions = new Map();
        continue;
      }
      await deletePublished(db, records);
      ahead = next;
    }
    scan = advanceScanFloor(scan, {
      ...batch,
      drained: !full,
      maxRead: records.length > 0 ? BigInt(records.at(-1)!.id) : undefined,
    });
    context.stats.published(records.length);
    if (Date.now() >= nextStatsAt) {
      await context.stats.log(db, context.logger);
      partitions = await readPartitionCounts(context);
      nextStatsAt = Date.now() + context.statsIntervalMs;
    }
    if (full) continue;
    const watermarkOwed = context.watermarks.offer(batch.horizon, records.length > 0);
    if (records.length === 0)
      await context.wake.sleep(watermarkOwed ? context.watermarkHeartbeatMs : context.pollMs);
  }
}

async function readRound(
  db: pg.Client,
  context: LeaderContext,
  floor: bigint,
  inFlight: OutboxRecord[],
  encoded: ReadonlyMap<string, RelayMessage>,
  partitions: PartitionCounts,
): Promise<Round> {
  const batch = await readOutboxBatch(db, context.batchSize, floor, inFlight);
  const all = batch.records.map((record) => encoded.get(record.id) ?? relayMessage(record, context.topics));
  const cut = cutAtPartitionBytes(all, context.maxBatchBytes, partitionOfKey(partitions));
  const records = cut.count === all.length ? batch.records : batch.records.slice(0, cut.count);
  const leftover = new Map<string, RelayMessage>();
  for (let i = cut.count; i < all.length; i++) leftover.set(batch.records[i]!.id, all[i]!);
  const oversized = cut.oversized && { id: records[0]!.id, bytes: cut.oversized.bytes };
  const sent = cut.count === all.length ? all : all.slice(0, cut.count);
  return { batch, records, messages: groupByTopic(sent), leftover, oversized };
}

/** The partition counts the byte cap goes by; none (a per-topic cap) when Kafka can't say. */
async function readPartitionCounts(context: LeaderContext): Promise<PartitionCounts> {
  try {
    return await fetchPartitionCounts(context.admin, context.topics);
  } catch (error) {
    context.logger.warn({ err: error }, "could not read the topics' partition counts; capping per topic");
    return new Map();
  }
}

function reportOversized(context: LeaderContext, event: { id: string; bytes: number }): void {
  context.stats.oversizedSent();
  context.logger.warn(
    { outboxId: event.id, bytes: event.bytes, maxBatchBytes: context.maxBatchBytes },
    "outbox event is larger than the relay's batch byte cap: sending it alone",
  );
}

async function sendAcknowledged(
  context: LeaderContext,
  records: OutboxRecord[],
  messages: TopicMessages[],
  oversized: Round["oversized"],
) {
  try {
    await context.producer.sendBatch({ acks: -1, topicMessages: messages });
    return true;
  } catch (error) {
    context.stats.sendFailed();
    if (oversized)
      // Not dropped (an event is a fact) nor skipped (its aggregate's later events must follow it):
      // the relay stops here, loudly, until the broker's limit admits it.
      context.logger.error(
        { err: error, outboxId: oversized.id, bytes: oversized.bytes },
        "Kafka refused an outbox event larger than the relay's batch byte cap; if it is over the " +
          "broker's message.max.bytes or the topic's max.message.bytes, raise that limit: the relay " +
          "retries this event and publishes nothing else until it is accepted",
      );
    else
      context.logger.warn(
        { err: error, rows: records.length },
        "Kafka did not acknowledge the batch; retrying",
      );
    await context.wake.sleep(context.kafkaRetryMs);
    return false;
  }
}

/** Connects the producer and admin client (retrying while Kafka is down) and creates the watermark topic. */
async function connectKafka(
  producer: Producer,
  admin: ReturnType<Kafka["admin"]>,
  options: OutboxRelayOptions,
  wake: WakeSignal,
  isRunning: () => boolean,
) {
  while (isRunning()) {
    try {
      await producer.connect();
      await admin.connect();
      await ensureWatermarkTopic(admin, options.topics);
      return;
    } catch (error) {
      options.logger.warn({ err: error }, "outbox relay cannot reach Kafka yet; retrying");
      await wake.sleep(options.kafkaRetryMs ?? defaults.kafkaRetryMs);
    }
  }
}

function definedOnly<T extends object>(options: T): Partial<T> {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as Partial<T>;
}
