import pg from "pg";
import { logLevel } from "kafkajs";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "@conveyor/runtime";
import { decodeEnvelope } from "./envelope-codec.ts";
import { startOutboxRelay, type OutboxRelay, type OutboxRelayOptions } from "./outbox-relay.ts";
import { createKafka } from "./kafka-client.ts";
import { decodeConsistencyToken, readConsistencyToken } from "./consistency-token.ts";
import { decodeWatermark } from "./watermark-message.ts";
import { ensureWatermarkTopic } from "./watermark-topic.ts";
import type { Topics } from "./topics.ts";
import { createWriteDatabase } from "../../../test/harness/migrated-databases.ts";
import type { TestDatabase } from "../../../test/harness/databases.ts";
import {
  ensureTestTopics,
  kafkaBrokers,
  uniqueTopicPrefix,
  waitForMessages,
} from "../../../test/harness/kafka.ts";
import { waitFor } from "../../../test/harness/wait-for.ts";
import { cuttableNetwork } from "./testing/cuttable-network.ts";
import { collectMessages } from "./testing/message-collector.ts";
import { insertTaskCreated, taskCreatedRow } from "./testing/outbox-rows.ts";

const logger = createLogger("relay-test", { LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "silent" });
let database: TestDatabase;
let db: pg.Client;
const relays: OutboxRelay[] = [];

beforeAll(async () => {
  database = await createWriteDatabase("outbox_relay");
  db = new pg.Client({ connectionString: database.url });
  await db.connect();
});

afterEach(async () => {
  await Promise.all(relays.splice(0).map((relay) => relay.stop()));
  await db.query("TRUNCATE outbox");
});

afterAll(async () => {
  await db?.end();
  await database?.drop();
});

async function freshTopics(label: string, partitions?: number): Promise<Topics> {
  const topics = await ensureTestTopics(uniqueTopicPrefix(label), partitions);
  const admin = createKafka("relay-test-admin", kafkaBrokers()).admin();
  await admin.connect();
  await ensureWatermarkTopic(admin, topics);
  await admin.disconnect();
  return topics;
}

function startRelay(topics: Topics, options: Partial<OutboxRelayOptions> = {}): OutboxRelay {
  const relay = startOutboxRelay({
    databaseUrl: database.url,
    kafka: createKafka("relay-test", kafkaBrokers()),
    topics,
    logger,
    // No NOTIFY is missed by these tests, so a long poll shows that NOTIFY alone wakes the relay.
    pollMs: 60_000,
    failoverMs: 100,
    ...options,
  });
  relays.push(relay);
  return relay;
}

const titleOf = (message: { value: Buffer | null }) =>
  (decodeEnvelope(message.value!).payload.value as { title: string }).title;

async function outboxCount(): Promise<number> {
  const { rows } = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM outbox");
  return rows[0]!.n;
}

describe("outbox relay", () => {
  it("publishes each row keyed by aggregate id with CloudEvents headers, then deletes it", async () => {
    const topics = await freshTopics("relay-headers");
    startRelay(topics);
    const traced = taskCreatedRow("traced", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
    const untraced = taskCreatedRow("untraced");
    await insertTaskCreated(db, [traced, untraced]);

    const messages = await waitForMessages([topics.tasks], { count: 2 });
    const byKey = new Map(messages.map((message) => [message.key, message]));
    const first = byKey.get(traced.aggregateId)!;
    expect(first.headers).toMatchObject({
      ce_specversion: "1.0",
      ce_id: traced.eventId,
      ce_source: "/conveyor/command-service",
      ce_type: "conveyor.events.v1.TaskCreated",
      ce_subject: traced.aggregateId,
      ce_dataschema: "type.googleapis.com/conveyor.events.v1.EventEnvelope",
      "content-type": "application/protobuf",
      traceparent: traced.traceContext,
    });
    expect(Date.parse(first.headers.ce_time!)).not.toBeNaN();
    expect(byKey.get(untraced.aggregateId)!.headers).not.toHaveProperty("traceparent");
    const envelope = decodeEnvelope(first.value!);
    expect(envelope).toMatchObject({
      eventId: traced.eventId,
      aggregateId: traced.aggregateId,
      aggregateVersion: 1n,
    });
    expect(envelope.payload).toMatchObject({ case: "taskCreated", value: { title: "traced", month: 3 } });
    await waitFor(async () => (await outboxCount()) === 0, { description: "the outbox to be emptied" });
  });

  it("still publishes a transaction that took a lower outbox id but committed after a later one", async () => {
    const topics = await freshTopics("relay-gap");
    startRelay(topics);
    const early = new pg.Client({ connectionString: database.url });
    await early.connect();
    try {
      const a = taskCreatedRow("A: lower id, commits last");
      const b = taskCreatedRow("B: higher id, commits first");
      await early.query("BEGIN");
      await insertTaskCreated(early, [a]);
      await insertTaskCreated(db, [b]);
      const [onlyB] = await waitForMessages([topics.tasks], { count: 1 });
      expect(onlyB!.key).toBe(b.aggregateId);
      await early.query("COMMIT");
      const both = await waitForMessages([topics.tasks], { count: 2 });
      expect(both.map((m) => m.key).sort()).toEqual([a.aggregateId, b.aggregateId].sort());
    } finally {
      await early.end();
    }
  });

  it("reads the next full batch while Kafka acknowledges one: every row, in outbox order per key, gaps included", async () => {
    const topics = await freshTopics("relay-ahead");
    const early = new pg.Client({ connectionString: database.url });
    await early.connect();
    try {
      const lower = taskCreatedRow("lower id, commits mid-backlog");
      await early.query("BEGIN");
      await insertTaskCreated(early, [lower]);
      const keys = [taskCreatedRow("").aggregateId, taskCreatedRow("").aggregateId];
      const rows = Array.from({ length: 41 }, (_, i) => ({
        ...taskCreatedRow(String(i)),
        aggregateId: keys[i % 2]!,
      }));
      for (let i = 0; i < rows.length; i += 10) await insertTaskCreated(db, rows.slice(i, i + 10));
      startRelay(topics, { batchSize: 4 });
      await waitForMessages([topics.tasks], { count: rows.length });
      await early.query("COMMIT");
      const sent = await waitForMessages([topics.tasks], { count: rows.length + 1 });
      const titles = sent.map((m) => (decodeEnvelope(m.value!).payload.value as { title: string }).title);
      expect([...new Set(titles)].sort()).toEqual([lower, ...rows].map((row) => row.title).sort());
      for (const key of keys) {
        const order = sent
          .filter((m) => m.key === key)
          .map((m) => Number((decodeEnvelope(m.value!).payload.value as { title: string }).title));
        expect(order).toEqual([...order].sort((a, b) => a - b));
      }
      await waitFor(async () => (await outboxCount()) === 0, { description: "the outbox to be emptied" });
    } finally {
      await early.end();
    }
  });

  it("republishes rows whose deletion failed after Kafka acknowledged them: duplicates, no loss", async () => {
    const topics = await freshTopics("relay-crash");
    await db.query(`
      CREATE FUNCTION refuse_outbox_delete() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'relay crashed before marking'; END $$;
      CREATE TRIGGER refuse_delete BEFORE DELETE ON outbox FOR EACH ROW EXECUTE FUNCTION refuse_outbox_delete();
    `);
    try {
      const rows = [taskCreatedRow("one"), taskCreatedRow("two"), taskCreatedRow("three")];
      await insertTaskCreated(db, rows);
      startRelay(topics, { pollMs: 50 });
      // Every attempt sent the batch, then failed to delete it: each event arrives at least twice.
      const sent = await waitForMessages([topics.tasks], { count: 6 });
      expect(await outboxCount()).toBe(3);
      for (const row of rows)
        expect(sent.filter((m) => m.key === row.aggregateId).length).toBeGreaterThanOrEqual(2);
    } finally {
      await db.query("DROP TRIGGER refuse_delete ON outbox; DROP FUNCTION refuse_outbox_delete()");
    }
    await waitFor(async () => (await outboxCount()) === 0, { description: "the backlog to drain" });
  });

  it("lets exactly one of two relays publish, and the other take over when the leader goes", async () => {
    const topics = await freshTopics("relay-failover");
    const first = startRelay(topics);
    await waitFor(() => first.stats().leader, { description: "the first relay to lead" });
    const second = startRelay(topics);
    await insertTaskCreated(db, [taskCreatedRow("before failover")]);
    await waitFor(async () => (await outboxCount()) === 0, { description: "the leader to publish" });
    expect([first.stats().leader, second.stats().leader]).toEqual([true, false]);
    expect(second.stats().published).toBe(0);

    await first.stop();
    await waitFor(() => second.stats().leader, { description: "the standby to take over" });
    await insertTaskCreated(db, [taskCreatedRow("after failover")]);
    await waitFor(async () => (await outboxCount()) === 0, { description: "the new leader to publish" });
    expect(second.stats().published).toBe(1);
    expect((await waitForMessages([topics.tasks], { count: 2 })).length).toBe(2);
  });

  it("keeps the backlog while Kafka is unreachable and drains it afterwards", async () => {
    const topics = await freshTopics("relay-outage");
    const network = cuttableNetwork();
    const kafka = createKafka("relay-outage", kafkaBrokers(), {
      socketFactory: network.socketFactory,
      logLevel: logLevel.NOTHING,
      retry: { retries: 1, initialRetryTime: 50 },
      requestTimeout: 2000,
    });
    // Batches of one: each is full, so the relay reads ahead while sends fail.
    const relay = startRelay(topics, { kafka, kafkaRetryMs: 50, batchSize: 1 });
    await insertTaskCreated(db, [taskCreatedRow("before the outage")]);
    await waitFor(() => relay.stats().published === 1, { description: "the first event to go out" });

    network.cut();
    await insertTaskCreated(db, [taskCreatedRow("during the outage"), taskCreatedRow("also during it")]);
    await waitFor(() => relay.stats().failedSends > 0, { description: "a send to fail" });
    expect(await outboxCount()).toBe(2);

    network.restore();
    await waitFor(async () => (await outboxCount()) === 0, {
      timeoutMs: 60_000,
      description: "the backlog to drain",
    });
    const titles = (await waitForMessages([topics.tasks], { count: 3 })).map(
      (m) => (decodeEnvelope(m.value!).payload.value as { title: string }).title,
    );
    // A send cut off after the broker stored it but before its ack arrived is sent again: a duplicate.
    expect([...new Set(titles)].sort()).toEqual(["also during it", "before the outage", "during the outage"]);
  });

  it("publishes a watermark that covers a consistency token read after the writes", async () => {
    const topics = await freshTopics("relay-watermark");
    const watermarks = await collectMessages([topics.watermarks]);
    try {
      startRelay(topics);
      await insertTaskCreated(db, [taskCreatedRow("covered")]);
      const token = await readConsistencyToken(async (sql) => (await db.query<{ xmax: string }>(sql)).rows);
      const horizon = decodeConsistencyToken(token);
      const [task] = await waitForMessages([topics.tasks], { count: 1 });
      const covering = await waitFor(
        () => watermarks.messages.map((m) => decodeWatermark(m.value!)).find((w) => w.horizon >= horizon),
        { description: "a watermark at or above the token" },
      );
      const taskPartition = covering.offsets.find(
        (o) => o.topic === topics.tasks && o.partition === task!.partition,
      );
      expect(taskPartition!.offset).toBeGreaterThan(BigInt(task!.offset));
    } finally {
      await watermarks.stop();
    }
  });

  it("cuts a round over the broker's batch limit into sends that fit: every event, once, in order", async () => {
    // One partition: an uncut round of these ~1.4 MB would be one record batch, over the broker's 1 MiB.
    const topics = await freshTopics("relay-bytes", 1);
    const keys = [taskCreatedRow("").aggregateId, taskCreatedRow("").aggregateId];
    const rows = Array.from({ length: 600 }, (_, i) => ({
      ...taskCreatedRow(`${i} ${"x".repeat(2000)}`),
      aggregateId: keys[i % 2]!,
    }));
    await insertTaskCreated(db, rows);
    // Given as undefined (as configuration that sets nothing passes it), the cap keeps its default.
    const relay = startRelay(topics, { maxBatchBytes: undefined, batchSize: undefined });
    // Without the cap, the broker refuses the round on every try: the outbox never empties.
    await waitFor(async () => (await outboxCount()) === 0, {
      timeoutMs: 30_000,
      description: "the outbox to be emptied",
    });
    const sent = await waitForMessages([topics.tasks], { count: rows.length });
    expect(sent.map(titleOf)).toEqual(rows.map((row) => row.title));
    expect(relay.stats()).toMatchObject({ published: rows.length, failedSends: 0, oversizedSends: 0 });
  });

  it("sends an event over the byte cap alone, in its place", async () => {
    const topics = await freshTopics("relay-big-event", 1);
    const rows = [taskCreatedRow("before"), taskCreatedRow("x".repeat(100_000)), taskCreatedRow("after")];
    await insertTaskCreated(db, rows);
    const relay = startRelay(topics, { maxBatchBytes: 64 * 1024 });
    const sent = await waitForMessages([topics.tasks], { count: 3 });
    expect(sent.map(titleOf)).toEqual(rows.map((row) => row.title));
    expect(relay.stats()).toMatchObject({ published: 3, failedSends: 0, oversizedSends: 1 });
  });

  it("stops at an event the broker refuses as too large, keeping it and what follows", async () => {
    const topics = await freshTopics("relay-too-large", 1);
    const rows = [taskCreatedRow("before"), taskCreatedRow("x".repeat(1_200_000)), taskCreatedRow("after")];
    await insertTaskCreated(db, rows);
    const relay = startRelay(topics, { kafkaRetryMs: 50 });
    await waitFor(() => relay.stats().failedSends >= 2, { description: "the big event to be refused" });
    expect(relay.stats()).toMatchObject({ published: 1 });
    expect(relay.stats().oversizedSends).toBeGreaterThanOrEqual(2);
    expect(await outboxCount()).toBe(2);
    expect((await waitForMessages([topics.tasks], { count: 1 })).map(titleOf)).toEqual(["before"]);
  });
});
