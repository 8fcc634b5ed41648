import pg from "pg";
import { v7 as uuidv7 } from "uuid";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CommandService } from "@conveyor/proto/conveyor/command/v1/command_service_pb";
import { createLogger } from "@conveyor/runtime";
import { createGrpcJsClient } from "@conveyor/runtime/testing";
import { waitForConsistency } from "../../query-service/src/projection/consistency.ts";
import { rebuildReadModel } from "../../query-service/src/projection/rebuild-read-model.ts";
import { verifyReadModel } from "../../query-service/src/projection/verify/verify-read-model.ts";
import type { RowDifference } from "../../query-service/src/projection/verify/row-differences.ts";
import { createTestDatabase, type TestDatabase } from "../harness/databases.ts";
import { startStack, type Stack } from "../harness/stack.ts";
import { mixedWorkload } from "./pipeline-commands.ts";

// The whole pipeline: BatchExecute -> outbox -> relay -> Kafka -> projector -> read model, then the
// operator tools: a consistency token waited on, verify, and a rebuild compared with the live model.

let stack: Stack;
let commands: ReturnType<typeof createGrpcJsClient<typeof CommandService>>;
let read: pg.Pool;
let lastToken: string;

beforeAll(async () => {
  stack = await startStack("pipeline");
  commands = createGrpcJsClient(
    CommandService,
    `127.0.0.1:${stack.commandPort}`,
    undefined,
    stack.grpcJsOptions,
  );
  read = new pg.Pool({ connectionString: stack.readDatabaseUrl, max: 2 });
  for (const batch of mixedWorkload()) {
    const response = await commands.batchExecute({ requestId: uuidv7(), commands: batch });
    expect(response.failedAggregates).toBe(0);
    lastToken = response.consistencyToken;
  }
});

afterAll(async () => {
  commands?.close();
  await read?.end();
  await stack?.stop();
});

async function differences(): Promise<RowDifference[]> {
  const found: RowDifference[] = [];
  await verifyReadModel({
    writeDatabaseUrl: stack.writeDatabaseUrl,
    readDatabaseUrl: stack.readDatabaseUrl,
    onDifference: (difference) => found.push(difference),
  });
  return found;
}

describe("the event pipeline", () => {
  it("reaches a batch's consistency token, and then verify finds no difference", async () => {
    expect(lastToken).toMatch(/^ct1\.\d+$/);
    await waitForConsistency(read, lastToken, { timeoutMs: 30_000 });
    expect(await differences()).toEqual([]);
    const { rows } = await read.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM read_orders WHERE customer_email LIKE 'changed-%'",
    );
    expect(rows[0]!.n).toBe(6);
  });

  it("rebuilds from the topics a read model equal to the live one", async () => {
    await waitForConsistency(read, lastToken, { timeoutMs: 30_000 });
    const target: TestDatabase = await createTestDatabase("pipeline_rebuild");
    try {
      const done = await rebuildReadModel({
        databaseUrl: target.url,
        kafkaBrokers: stack.kafkaBrokers,
        topicPrefix: stack.topicPrefix,
        truncate: false,
        logger: createLogger("rebuild-test", { LOG_LEVEL: "silent" }),
        onProgress: () => undefined,
      });
      expect(done.applied).toBe(done.total);
      const rebuilt = new pg.Pool({ connectionString: target.url, max: 1 });
      try {
        for (const [table, key] of [
          ["read_users", "user_id"],
          ["read_orders", "order_id"],
          ["read_tasks", "task_id"],
        ]) {
          // changed_xid is the read database's own transaction id: it differs between any two databases.
          const sql = `SELECT to_jsonb(t) - 'changed_xid' AS row FROM ${table} t ORDER BY ${key}`;
          const [live, fresh] = await Promise.all([read.query(sql), rebuilt.query(sql)]);
          expect(fresh.rows.length).toBeGreaterThan(0);
          expect(fresh.rows).toEqual(live.rows);
        }
      } finally {
        await rebuilt.end();
      }
    } finally {
      await target.drop();
    }
  });

  it("verify reports a planted difference, and only that", async () => {
    await waitForConsistency(read, lastToken, { timeoutMs: 30_000 });
    const { rows } = await read.query<{ order_id: string; total: string }>(
      "UPDATE read_orders SET total_minor = total_minor + 1 WHERE order_id = (SELECT order_id FROM read_orders ORDER BY order_id LIMIT 1) RETURNING order_id, total_minor::text AS total",
    );
    const { rows: removed } = await read.query<{ task_id: string }>(
      "DELETE FROM read_tasks WHERE task_id = (SELECT task_id FROM read_tasks ORDER BY task_id DESC LIMIT 1) RETURNING task_id",
    );
    const found = await differences();
    expect(found).toHaveLength(2);
    expect(found).toContainEqual({
      table: "read_orders",
      id: rows[0]!.order_id,
      kind: "different",
      fields: [
        { field: "total_minor", expected: String(BigInt(rows[0]!.total) - 1n), actual: rows[0]!.total },
      ],
    });
    expect(found).toContainEqual(
      expect.objectContaining({ table: "read_tasks", id: removed[0]!.task_id, kind: "missing" }),
    );
  });
});
