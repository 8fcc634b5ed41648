import pg from "pg";
import { afterEach, describe, expect, inject, it } from "vitest";
import { AggregateType } from "@conveyor/proto/conveyor/types/v1/types_pb";
import { collectMessages } from "../../../libs/messaging/src/testing/message-collector.ts";
import { waitFor } from "../../../test/harness/wait-for.ts";
import {
  eventMessage,
  newId,
  orderCancelled,
  orderItemAdded,
  orderPlaced,
  taskCompleted,
  taskCreated,
  userCreated,
  userEmailChanged,
} from "./testing/event-messages.ts";
import { createProjectorFixture, type ProjectorFixture } from "./testing/projector-fixture.ts";

let fixture: ProjectorFixture | undefined;

afterEach(async () => {
  await fixture?.stop();
  fixture = undefined;
});

async function start(label: string): Promise<ProjectorFixture> {
  fixture = await createProjectorFixture(label);
  return fixture;
}

async function orderRow(pool: pg.Pool, id: string) {
  const { rows } = await pool.query(
    `SELECT customer_email, customer_name, item_count, total_minor::int AS total, status, version::int AS version
     FROM read_orders WHERE order_id = $1`,
    [id],
  );
  return rows[0] as
    | {
        customer_email: string;
        customer_name: string;
        item_count: number;
        total: number;
        status: string;
        version: number;
      }
    | undefined;
}

async function userStats(pool: pg.Pool, id: string) {
  const { rows } = await pool.query(
    "SELECT email, order_count, lifetime_value_minor::int AS lifetime_value FROM read_users WHERE user_id = $1",
    [id],
  );
  return rows[0] as { email: string; order_count: number; lifetime_value: number } | undefined;
}

describe("projector", () => {
  it("applies a redelivered event once", async () => {
    const f = await start("proj-duplicates");
    await f.startProjector();
    const order = newId();
    const placed = orderPlaced(order, newId(), [{ quantity: 2, unitPriceMinor: 500n }]);
    const added = orderItemAdded(order, 2, 1, 250n);
    await f.produce(f.topics.orders, [placed, added]);
    await f.waitUntilProjected();
    await f.produce(f.topics.orders, [added, placed, added]);
    await f.waitUntilProjected();
    expect(await orderRow(f.pool, order)).toMatchObject({ item_count: 2, total: 1250, version: 2 });
  });

  it("converges whatever the order across topics: orders before their customer, then an email change", async () => {
    const f = await start("proj-cross-topic");
    await f.startProjector();
    const customer = newId();
    const [first, second] = [newId(), newId()];
    await f.produce(f.topics.orders, [
      orderPlaced(first, customer, [{ quantity: 1, unitPriceMinor: 1000n }]),
      orderPlaced(second, customer, [{ quantity: 3, unitPriceMinor: 100n }]),
    ]);
    await f.waitUntilProjected();
    expect(await orderRow(f.pool, first)).toMatchObject({ customer_email: "", customer_name: "" });

    await f.produce(f.topics.users, [userCreated(customer, 1, "ada@example.com")]);
    await f.waitUntilProjected();
    expect(await orderRow(f.pool, first)).toMatchObject({
      customer_email: "ada@example.com",
      customer_name: "Ada Lovelace",
    });
    expect(await userStats(f.pool, customer)).toEqual({
      email: "ada@example.com",
      order_count: 2,
      lifetime_value: 1300,
    });

    await f.produce(f.topics.users, [userEmailChanged(customer, 2, "ada@engine.org")]);
    await f.produce(f.topics.orders, [orderCancelled(second, 2)]);
    await f.waitUntilProjected();
    for (const id of [first, second])
      expect((await orderRow(f.pool, id))?.customer_email).toBe("ada@engine.org");
    expect(await userStats(f.pool, customer)).toEqual({
      email: "ada@engine.org",
      order_count: 2,
      lifetime_value: 1000,
    });
  });

  it("sends poison events to the dead-letter topic with the reason and keeps going", async () => {
    const f = await start("proj-poison");
    const deadLetters = await collectMessages([f.topics.deadLetter]);
    try {
      await f.startProjector();
      const [good, gap, nul, later] = [newId(), newId(), newId(), newId()];
      await f.produce(f.topics.tasks, [
        { key: "garbage", value: Buffer.from("not a protobuf envelope \u00ff\u00fe") },
        taskCreated(good, "fine"),
        taskCompleted(gap, 5),
        taskCreated(nul, "a NUL \u0000 the database refuses"),
        eventMessage(AggregateType.USER, newId(), 1, { case: "taskCompleted", value: {} }),
      ]);
      await f.waitUntilProjected();
      await waitFor(() => deadLetters.messages.length >= 4, { description: "four dead letters" });
      const reasons = Object.fromEntries(
        deadLetters.messages.map((m) => [m.key!.toString(), m.headers!.dlt_reason!.toString()]),
      );
      expect(reasons.garbage).toMatch(/not a conveyor.events.v1.EventEnvelope/);
      expect(reasons[gap]).toMatch(/version gap/);
      expect(reasons[nul]).toMatch(/refused it 3 times/);
      expect(Object.values(reasons).some((r) => /does not belong on this topic/.test(r))).toBe(true);
      expect(deadLetters.messages[0]!.headers).toMatchObject({ dlt_topic: Buffer.from(f.topics.tasks) });

      await f.produce(f.topics.tasks, [taskCreated(later, "after the poison")]);
      await f.waitUntilProjected();
      const { rows } = await f.pool.query<{ title: string }>("SELECT title FROM read_tasks ORDER BY title");
      expect(rows.map((r) => r.title)).toEqual(["after the poison", "fine"]);
    } finally {
      await deadLetters.stop();
    }
  });

  it("waits while the read database is unreachable and resumes by itself", async () => {
    const f = await start("proj-db-outage");
    const projector = await f.startProjector();
    const admin = new pg.Client({ connectionString: inject("databaseAdminUrl") });
    await admin.connect();
    const task = newId();
    try {
      await admin.query(
        `ALTER DATABASE ${admin.escapeIdentifier(f.database.name)} WITH ALLOW_CONNECTIONS false`,
      );
      await admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1", [
        f.database.name,
      ]);
      await f.produce(f.topics.tasks, [taskCreated(task, "written during the outage")]);
      await waitFor(() => projector.stats().waitingForDatabase, {
        description: "the projector to notice the outage",
      });
    } finally {
      await admin.query(
        `ALTER DATABASE ${admin.escapeIdentifier(f.database.name)} WITH ALLOW_CONNECTIONS true`,
      );
      await admin.end();
    }
    await f.waitUntilProjected();
    expect(projector.stats().waitingForDatabase).toBe(false);
    const { rows } = await f.pool.query("SELECT title FROM read_tasks WHERE task_id = $1", [task]);
    expect(rows).toEqual([{ title: "written during the outage" }]);
  });
});
