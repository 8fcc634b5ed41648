import { spawn } from "node:child_process";
import { afterAll, beforeAll, expect, it } from "vitest";
import { kafkaBrokers } from "../../../test/harness/kafka.ts";
import { waitFor } from "../../../test/harness/wait-for.ts";
import { newId, orderItemAdded, orderPlaced } from "./testing/event-messages.ts";
import { createProjectorFixture, type ProjectorFixture } from "./testing/projector-fixture.ts";

const orders = 200;
const itemsAdded = 99; // versions 2..100, each adds one line of `version` minor units

let fixture: ProjectorFixture;

beforeAll(async () => {
  fixture = await createProjectorFixture("proj-kill");
});

afterAll(async () => {
  await fixture?.stop();
});

async function appliedOffsets(): Promise<number> {
  const { rows } = await fixture.pool.query<{ n: number }>(
    "SELECT coalesce(sum(next_offset), 0)::int AS n FROM projection_offsets WHERE topic = $1",
    [fixture.topics.orders],
  );
  return rows[0]!.n;
}

it("loses and doubles nothing when the projector is killed mid-work and another takes over", async () => {
  const ids = Array.from({ length: orders }, () => newId());
  for (let version = 1; version <= itemsAdded + 1; version += 10) {
    const messages = ids.flatMap((id) =>
      Array.from({ length: 10 }, (_, i) => version + i).flatMap((v) =>
        v === 1
          ? [orderPlaced(id, newId(), [{ quantity: 1, unitPriceMinor: 1n }])]
          : [orderItemAdded(id, v, 1, BigInt(v))],
      ),
    );
    await fixture.produce(fixture.topics.orders, messages);
  }
  const total = orders * (itemsAdded + 1);

  const child = spawn(
    process.execPath,
    ["--import", "tsx", "query-service/src/projection/testing/projector-process.ts"],
    {
      cwd: new URL("../../../", import.meta.url).pathname,
      env: {
        ...process.env,
        READ_DATABASE_URL: fixture.database.url,
        KAFKA_BROKERS: kafkaBrokers().join(","),
        KAFKA_TOPIC_PREFIX: fixture.topicPrefix,
        GROUP_ID: fixture.groupId,
      },
      stdio: "ignore",
    },
  );
  const exited = new Promise((resolve) => child.once("exit", resolve));
  await waitFor(async () => (await appliedOffsets()) >= total / 10, {
    intervalMs: 5,
    description: "the child projector to make progress",
  });
  child.kill("SIGKILL");
  await exited;
  expect(await appliedOffsets()).toBeLessThan(total);

  await fixture.startProjector();
  await fixture.waitUntilProjected(120_000);
  const { rows } = await fixture.pool.query<{ n: number; items: number; total: string; version: string }>(
    `SELECT count(*)::int AS n, min(item_count) = max(item_count) AND min(item_count) = $1 AS items,
       sum(total_minor)::text AS total, min(version)::text || '-' || max(version)::text AS version
     FROM read_orders`,
    [itemsAdded + 1],
  );
  // Each order: 1 (placed) + 2 + 3 + ... + 100 minor units.
  const perOrder = 1 + ((itemsAdded + 1) * (itemsAdded + 2)) / 2 - 1;
  expect(rows[0]).toEqual({ n: orders, items: true, total: String(perOrder * orders), version: "100-100" });
});
