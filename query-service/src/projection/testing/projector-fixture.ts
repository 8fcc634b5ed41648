import pg from "pg";
import { Partitioners, type Message, type Producer } from "kafkajs";
import { createKafka, ensureWatermarkTopic, eventTopics, type Topics } from "@conveyor/messaging";
import { createLogger } from "@conveyor/runtime";
import { startProjector, type Projector } from "../projector.ts";
import { createReadDatabase } from "../../../../test/harness/migrated-databases.ts";
import type { TestDatabase } from "../../../../test/harness/databases.ts";
import { ensureTestTopics, kafkaBrokers, uniqueTopicPrefix } from "../../../../test/harness/kafka.ts";
import { waitFor } from "../../../../test/harness/wait-for.ts";

/** A read database, the topics of a fresh prefix, a producer for them, and projectors to start. */
export interface ProjectorFixture {
  database: TestDatabase;
  pool: pg.Pool;
  topics: Topics;
  topicPrefix: string;
  groupId: string;
  producer: Producer;
  produce(topic: string, messages: Message[]): Promise<void>;
  startProjector(): Promise<Projector>;
  /** Waits until every partition of the event topics is applied up to its current end offset. */
  waitUntilProjected(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

export async function createProjectorFixture(label: string): Promise<ProjectorFixture> {
  const topicPrefix = uniqueTopicPrefix(label);
  const [database, topics] = await Promise.all([createReadDatabase(label), ensureTestTopics(topicPrefix)]);
  const kafka = createKafka(`${label}-test`, kafkaBrokers());
  const admin = kafka.admin();
  await admin.connect();
  await ensureWatermarkTopic(admin, topics);
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  const pool = new pg.Pool({ connectionString: database.url, max: 4 });
  pool.on("error", () => undefined);
  const groupId = `${topicPrefix}.projector`;
  const projectors: Projector[] = [];
  const logger = createLogger(label, { LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "silent" });
  const projectedUpTo = async () => {
    const ends = (
      await Promise.all(
        eventTopics(topics).map(async (topic) =>
          (await admin.fetchTopicOffsets(topic)).map((o) => ({
            topic,
            partition: o.partition,
            end: BigInt(o.offset),
          })),
        ),
      )
    ).flat();
    const { rows } = await pool.query<{ topic: string; partition: number; next_offset: string | null }>(
      "SELECT topic, partition, next_offset::text FROM projection_offsets",
    );
    const at = new Map(rows.map((r) => [`${r.topic}/${r.partition}`, BigInt(r.next_offset ?? 0)]));
    return ends.every((e) => (at.get(`${e.topic}/${e.partition}`) ?? 0n) >= e.end);
  };
  return {
    database,
    pool,
    topics,
    topicPrefix,
    groupId,
    producer,
    async produce(topic, messages) {
      await producer.send({ topic, acks: -1, messages });
    },
    async startProjector() {
      const projector = await startProjector({
        pool,
        kafka,
        topics,
        groupId,
        logger,
        maxDatabaseBackoffMs: 200,
      });
      projectors.push(projector);
      return projector;
    },
    async waitUntilProjected(timeoutMs = 30_000) {
      await waitFor(projectedUpTo, {
        timeoutMs,
        description: "the projector to reach the end of every partition",
      });
    },
    async stop() {
      await Promise.allSettled(projectors.map((p) => p.stop()));
      await Promise.allSettled([producer.disconnect(), admin.disconnect()]);
      await pool.end();
      await database.drop();
    },
  };
}
