import { Partitioners } from "kafkajs";
import { describe, expect, inject, it } from "vitest";
import { withClient } from "../../deploy/local/postgres.ts";
import { createTestDatabase } from "./databases.ts";
import { ensureTestTopics, testConsumer, testKafka, uniqueTopicPrefix, waitForMessages } from "./kafka.ts";
import { waitFor } from "./wait-for.ts";

describe("test harness", () => {
  it("creates a reachable database of its own and drops it", async () => {
    const database = await createTestDatabase("harness");
    const current = await withClient(database.url, (client) =>
      client.query("SELECT current_database() AS name"),
    );
    expect(current.rows).toEqual([{ name: database.name }]);

    await database.drop();
    const left = await withClient(inject("databaseAdminUrl"), (client) =>
      client.query("SELECT 1 FROM pg_database WHERE datname = $1", [database.name]),
    );
    expect(left.rowCount).toBe(0);
  });

  it("creates the topics of a prefix idempotently, with 3 partitions each", async () => {
    const prefix = uniqueTopicPrefix("harness");
    const topics = await ensureTestTopics(prefix);
    await ensureTestTopics(prefix);

    const admin = testKafka("harness-admin").admin();
    await admin.connect();
    const metadata = await admin.fetchTopicMetadata({
      topics: [topics.users, topics.orders, topics.tasks, topics.deadLetter],
    });
    await admin.disconnect();
    expect(metadata.topics.map((topic) => topic.partitions.length)).toEqual([3, 3, 3, 3]);
  });

  it("delivers a produced message, key and headers included, to a consumer group", async () => {
    const topics = await ensureTestTopics(uniqueTopicPrefix("harness"));
    const producer = testKafka("harness-producer").producer({
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    await producer.connect();
    await producer.send({
      topic: topics.users,
      messages: [{ key: "user-1", value: "hello", headers: { type: "UserCreated" } }],
    });
    await producer.disconnect();

    const [message, ...rest] = await waitForMessages([topics.users], { count: 1 });
    expect(rest).toEqual([]);
    expect(message).toMatchObject({ topic: topics.users, key: "user-1", headers: { type: "UserCreated" } });
    expect(message?.value?.toString()).toBe("hello");
  });

  it("lets a consumer join a group and get every partition of its topic", async () => {
    const topics = await ensureTestTopics(uniqueTopicPrefix("harness"));
    const consumer = testConsumer(`${topics.orders}.group`);
    let assignment: Record<string, number[]> | undefined;
    consumer.on(consumer.events.GROUP_JOIN, (event) => (assignment = event.payload.memberAssignment));
    await consumer.connect();
    await consumer.subscribe({ topics: [topics.orders] });
    await consumer.run({ eachMessage: () => Promise.resolve() });
    try {
      await waitFor(() => assignment, { timeoutMs: 30_000, description: "the consumer to join its group" });
      expect(assignment?.[topics.orders]?.sort()).toEqual([0, 1, 2]);
    } finally {
      await consumer.disconnect();
    }
  });
});
