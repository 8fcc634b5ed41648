import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { status as GrpcStatus, type ServiceError } from "@grpc/grpc-js";
import { startBatchTestServer, type BatchTestServer } from "./testing/batch-test-server.ts";
import {
  addOrderItem,
  createUser,
  newId,
  placeOrder,
  updateUserRoles,
  type CommandInit,
} from "./testing/commands.ts";

let server: BatchTestServer;
beforeAll(async () => {
  server = await startBatchTestServer("batch_concurrency");
});
afterAll(() => server.stop());

const execute = (commands: CommandInit[], requestId = newId()) =>
  server.client.batchExecute({ requestId, commands, options: { parallelism: 4 } });

describe("concurrent batches", () => {
  it("let exactly one of two batches win each aggregate at an expected version", async () => {
    const users = Array.from({ length: 12 }, () => newId());
    await execute(users.map((id) => createUser(id)));

    const race = (role: string) =>
      execute(users.map((id) => updateUserRoles(id, [role], { expectedVersion: 1n })));
    const [left, right] = await Promise.all([race("left"), race("right")]);

    const winners = users.map((_, i) => [left.results[i]!.success, right.results[i]!.success]);
    expect(winners.every(([l, r]) => l !== r)).toBe(true);
    const rows = await server.rows<{ id: string; version: string; roles: string[] }>(
      "SELECT id, version, roles FROM users WHERE id = ANY($1::uuid[])",
      [users],
    );
    for (const row of rows) {
      const i = users.indexOf(row.id);
      expect(row).toMatchObject({ version: "2", roles: [left.results[i]!.success ? "left" : "right"] });
    }
    const events = await server.rows<{ count: string }>(
      "SELECT count(*) FROM outbox WHERE aggregate_id = ANY($1::uuid[]) AND aggregate_version = 2",
      [users],
    );
    expect(events[0]?.count).toBe(String(users.length));
  });

  it("lose no update when two batches without expected versions change the same aggregates", async () => {
    const customer = newId();
    const orders = Array.from({ length: 8 }, () => newId());
    await execute([createUser(customer), ...orders.map((id) => placeOrder(id, customer))]);

    const add = (sku: string) => execute(orders.map((id) => addOrderItem(id, sku)));
    const responses = await Promise.all([add("LEFT"), add("RIGHT"), add("THIRD")]);

    expect(responses.every((r) => r.success)).toBe(true);
    const rows = await server.rows<{ version: string; skus: string[] }>(
      `SELECT o.version, array_agg(i.sku ORDER BY i.line_no) AS skus
       FROM orders o JOIN order_items i ON i.order_id = o.id WHERE o.id = ANY($1::uuid[]) GROUP BY o.id`,
      [orders],
    );
    expect(rows).toHaveLength(orders.length);
    for (const row of rows) {
      expect(row.version).toBe("4");
      expect([...row.skus].sort()).toEqual(["LEFT", "RIGHT", "SKU-1", "THIRD"]);
    }
  });

  it("execute a request id once when the same request arrives twice at the same time", async () => {
    const users = Array.from({ length: 20 }, () => newId());
    const requestId = newId();
    const outcomes = await Promise.allSettled([
      execute(
        users.map((id) => createUser(id)),
        requestId,
      ),
      execute(
        users.map((id) => createUser(id)),
        requestId,
      ),
    ]);

    const succeeded = outcomes.flatMap((o) => (o.status === "fulfilled" ? [o.value] : []));
    const refused = outcomes.flatMap((o) => (o.status === "rejected" ? [o.reason as ServiceError] : []));
    expect(succeeded.filter((r) => !r.replayed)).toHaveLength(1);
    expect(succeeded[0]?.success).toBe(true);
    for (const error of refused) expect(error.code).toBe(GrpcStatus.ABORTED);
    const events = await server.rows<{ count: string }>(
      "SELECT count(*) FROM outbox WHERE correlation_id = $1",
      [requestId],
    );
    expect(events[0]?.count).toBe(String(users.length));
  });
});
