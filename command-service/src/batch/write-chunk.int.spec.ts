import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AggregateErrorCode } from "@conveyor/proto/conveyor/command/v1/batch_pb";
import { createLogger } from "@conveyor/runtime";
import { startBatchTestServer, type BatchTestServer } from "../api/testing/batch-test-server.ts";
import {
  addOrderItem,
  createTask,
  createUser,
  newId,
  placeOrder,
  setTaskExecutionDate,
  updateUserEmail,
  updateUserRoles,
  type CommandInit,
} from "../api/testing/commands.ts";
import { loadUsers } from "../user/user-store.ts";
import { userAggregate } from "../user/user-aggregate.ts";
import type { BatchCommand } from "./batch-command.ts";
import { planBatch } from "./batch-plan.ts";
import { decideGroup } from "./decide-group.ts";
import { withSql } from "./sql.ts";
import { writeChunk } from "./write-chunk.ts";

let server: BatchTestServer;
beforeAll(async () => {
  server = await startBatchTestServer("write_chunk");
});
afterAll(() => server.stop());

const execute = (commands: CommandInit[]) => server.client.batchExecute({ requestId: newId(), commands });

/** How many transactions wrote the rows of `ids` (by their xmin). */
const writers = async (table: string, ids: string[]) =>
  (
    await server.rows<{ count: string }>(
      `SELECT count(DISTINCT xmin::text) FROM ${table} WHERE id = ANY($1::uuid[])`,
      [ids],
    )
  )[0]?.count;

describe("chunked writes", () => {
  it("write a wave's groups of one type in one statement, each aggregate's events in version order", async () => {
    const users = Array.from({ length: 12 }, () => newId());
    const orders = users.slice(0, 6).map(() => newId());
    const tasks = Array.from({ length: 5 }, () => newId());
    const response = await execute([
      ...users.flatMap((id) => [createUser(id), updateUserRoles(id, ["a"]), updateUserRoles(id, ["a", "b"])]),
      ...orders.flatMap((id, i) => [placeOrder(id, users[i]!), addOrderItem(id, "X"), addOrderItem(id, "Y")]),
      ...tasks.flatMap((id) => [createTask(id), setTaskExecutionDate(id, new Date("2026-02-03T00:00:00Z"))]),
    ]);

    expect(response.success).toBe(true);
    expect(await writers("users", users)).toBe("1");
    expect(await writers("orders", orders)).toBe("1");
    expect(await writers("tasks", tasks)).toBe("1");
    const events = await server.rows<{ aggregate_id: string; versions: string[] }>(
      `SELECT aggregate_id, array_agg(aggregate_version::text ORDER BY id) AS versions FROM outbox
       WHERE correlation_id = $1 GROUP BY aggregate_id`,
      [response.requestId],
    );
    expect(events).toHaveLength(users.length + orders.length + tasks.length);
    for (const { aggregate_id, versions } of events) {
      const count = tasks.includes(aggregate_id) ? 2 : 3;
      expect(versions).toEqual(Array.from({ length: count }, (_, i) => String(i + 1)));
    }
    const lines = await server.rows<{ skus: string[]; roles: string[] }>(
      `SELECT array_agg(i.sku ORDER BY i.line_no) AS skus, u.roles FROM orders o
       JOIN order_items i ON i.order_id = o.id JOIN users u ON u.id = o.customer_id
       WHERE o.id = ANY($1::uuid[]) GROUP BY o.id, u.roles`,
      [orders],
    );
    expect(lines).toEqual(orders.map(() => ({ skus: ["SKU-1", "X", "Y"], roles: ["a", "b"] })));
  });

  it("run a group whose row moved since the batch read it again under a lock, writing the rest of its chunk once", async () => {
    const users = [newId(), newId(), newId()];
    await execute(users.map((id) => createUser(id)));
    const snapshot = await withSql(server.dataSource, { transaction: false }, (sql) =>
      loadUsers(sql, users, false),
    );
    await execute([updateUserRoles(users[1]!, ["moved"])]);

    const commands: BatchCommand[] = users.map((aggregateId, index) => ({
      index,
      aggregateId,
      aggregateType: "USER",
      command: { type: "UpdateUserRoles", roles: ["chunk"] },
    }));
    const context = { exists: () => true };
    const chunk = planBatch(commands).map((group) => {
      const before = snapshot.find((user) => user.id === group.aggregateId);
      return { group, snapshot: before, change: decideGroup(userAggregate, group, before, context, "chunk") };
    });
    const deps = {
      dataSource: server.dataSource,
      logger: createLogger("write-chunk", { LOG_LEVEL: "silent" }),
    };
    const results = await writeChunk(deps, chunk, context, "chunk");

    expect(results.map((r) => [r.success, r.version])).toEqual([
      [true, 2],
      [true, 3],
      [true, 2],
    ]);
    const rows = await server.rows<{ id: string; roles: string[]; version: string }>(
      "SELECT id, roles, version FROM users WHERE id = ANY($1::uuid[]) ORDER BY id",
      [users],
    );
    expect(rows.map((row) => [row.roles, row.version])).toEqual([
      [["chunk"], "2"],
      [["chunk"], "3"],
      [["chunk"], "2"],
    ]);
    expect(await writers("users", [users[0]!, users[2]!])).toBe("1");
  });

  it("write a chunk whose statement fails group by group, so that only the group that broke it fails", async () => {
    const users = Array.from({ length: 4 }, () => newId());
    await execute(users.map((id) => createUser(id)));
    const response = await execute([
      updateUserRoles(users[0]!, ["r"]),
      updateUserEmail(users[1]!, `${users[0]}@example.com`),
      updateUserRoles(users[2]!, ["r"]),
      updateUserRoles(users[3]!, ["r"]),
    ]);

    expect(response.results.map((r) => r.errorCode)).toEqual([
      AggregateErrorCode.UNSPECIFIED,
      AggregateErrorCode.INVARIANT_VIOLATION,
      AggregateErrorCode.UNSPECIFIED,
      AggregateErrorCode.UNSPECIFIED,
    ]);
    expect(response.results.map((r) => r.version)).toEqual([2n, 1n, 2n, 2n]);
    const events = await server.rows<{ count: string }>(
      "SELECT count(*) FROM outbox WHERE correlation_id = $1",
      [response.requestId],
    );
    expect(events[0]?.count).toBe("3");
  });
});
