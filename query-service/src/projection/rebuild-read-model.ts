import { randomBytes } from "node:crypto";
import pg from "pg";
import type { Admin } from "kafkajs";
import { createKafka, ensureWatermarkTopic, eventTopics, topicsFor } from "@conveyor/messaging";
import type { Logger } from "@conveyor/runtime";
import { migrateReadDatabase } from "../infra/read-database.ts";
import { startProjector } from "./projector.ts";

export interface RebuildOptions {
  /** The database to build the read model in (migrated first). */
  databaseUrl: string;
  kafkaBrokers: string[];
  topicPrefix: string;
  /** Empty the read model first; without it, a database that already holds one is refused. */
  truncate: boolean;
  logger: Logger;
  onProgress(progress: RebuildProgress): void;
  /** How often progress is measured. */
  progressIntervalMs?: number;
}

export interface RebuildProgress {
  applied: number;
  total: number;
}

const readTables = "read_users, read_orders, read_tasks, projection_offsets, projection_watermarks";

/**
 * Replays every topic from its first retained offset into the read model of `databaseUrl`, with a
 * consumer group of its own, up to the end offsets the topics had when it started, then leaves (and
 * deletes) the group. The rebuilt database records its positions, so a query-service pointed at it
 * resumes from there.
 */
export async function rebuildReadModel(options: RebuildOptions): Promise<RebuildProgress> {
  await migrateReadDatabase(options.databaseUrl);
  const pool = new pg.Pool({
    connectionString: options.databaseUrl,
    max: 4,
    application_name: "conveyor-rebuild",
  });
  const kafka = createKafka("conveyor-rebuild", options.kafkaBrokers);
  const admin = kafka.admin();
  const topics = topicsFor(options.topicPrefix);
  await admin.connect();
  try {
    await prepareDatabase(pool, options.truncate);
    await ensureWatermarkTopic(admin, topics);
    const ranges = await offsetRanges(admin, [...eventTopics(topics), topics.watermarks]);
    const total = ranges.reduce((sum, r) => sum + Number(r.end - r.start), 0);
    const groupId = `${options.topicPrefix}.rebuild.${randomBytes(4).toString("hex")}`;
    const projector = await startProjector({ pool, kafka, topics, groupId, logger: options.logger });
    try {
      return await reportUntilDone(pool, ranges, total, options);
    } finally {
      await projector.stop();
      await admin.deleteGroups([groupId]).catch(() => undefined);
    }
  } finally {
    await admin.disconnect();
    await pool.end();
  }
}

async function prepareDatabase(pool: pg.Pool, truncate: boolean): Promise<void> {
  if (truncate) {
    await pool.query(`TRUNCATE ${readTables}`);
    return;
  }
  const { rows } = await pool.query<{ used: boolean }>(
    "SELECT EXISTS (SELECT 1 FROM projection_offsets) OR EXISTS (SELECT 1 FROM read_users) AS used",
  );
  if (rows[0]!.used)
    throw new Error("the target database already holds a read model; pass --truncate to replace it");
}

interface OffsetRange {
  topic: string;
  partition: number;
  start: bigint;
  end: bigint;
}

async function offsetRanges(admin: Admin, topics: string[]): Promise<OffsetRange[]> {
  const perTopic = await Promise.all(
    topics.map(async (topic) =>
      (await admin.fetchTopicOffsets(topic)).map((o) => ({
        topic,
        partition: o.partition,
        start: BigInt(o.low),
        end: BigInt(o.high),
      })),
    ),
  );
  return perTopic.flat();
}

async function reportUntilDone(
  pool: pg.Pool,
  ranges: OffsetRange[],
  total: number,
  options: RebuildOptions,
): Promise<RebuildProgress> {
  for (;;) {
    const applied = await appliedWithin(pool, ranges);
    options.onProgress({ applied, total });
    if (applied >= total) return { applied, total };
    await new Promise((resolve) => setTimeout(resolve, options.progressIntervalMs ?? 250));
  }
}

async function appliedWithin(pool: pg.Pool, ranges: OffsetRange[]): Promise<number> {
  const { rows } = await pool.query<{ topic: string; partition: number; next_offset: string | null }>(
    "SELECT topic, partition, next_offset::text FROM projection_offsets",
  );
  const next = new Map(rows.map((r) => [`${r.topic}/${r.partition}`, BigInt(r.next_offset ?? 0)]));
  return ranges.reduce((sum, r) => {
    const at = next.get(`${r.topic}/${r.partition}`) ?? r.start;
    const clamped = at < r.start ? r.start : at > r.end ? r.end : at;
    return sum + Number(clamped - r.start);
  }, 0);
}
