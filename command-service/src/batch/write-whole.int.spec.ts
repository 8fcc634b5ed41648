import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AggregateErrorCode, TransactionMode } from "@conveyor/proto/conveyor/command/v1/batch_pb";
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

let server: BatchTestServer;
beforeAll(async () => {
  server = await startBatchTestServer("write_whole");
  // Counts the statements that insert into each table (a statement-level trigger fires once per statement).
  await server.rows(`
    CREATE TABLE insert_statements (table_name text NOT NULL);
    CREATE FUNCTION count_insert_statement() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN INSERT INTO insert_statements VALUES (TG_TABLE_NAME); RETURN NULL; END $$;
    CREATE TRIGGER count_users AFTER INSERT ON users FOR EACH STATEMENT EXECUTE FUNCTION count_insert_statement();
    CREATE TRIGGER count_orders AFTER INSERT ON orders FOR EACH STATEMENT EXECUTE FUNCTION count_insert_statement();
    CREATE TRIGGER count_tasks AFTER INSERT ON tasks FOR EACH STATEMENT EXECUTE FUNCTION count_insert_statement();`);
});
afterAll(() => server.stop());

const allOrNothing = (commands: CommandInit[]) =>
  server.client.batchExecute({
    requestId: newId(),
    commands,
    options: { transactionMode: TransactionMode.ALL_OR_NOTHING },
  });

const insertStatements = async () =>
  Object.fromEntries(
    (
      await server.rows<{ table_name: string; count: string }>(
        "SELECT table_name, count(*) FROM insert_statements GROUP BY table_name",
      )
    ).map((row) => [row.table_name, Number(row.count)]),
  );

describe("all-or-nothing batches written whole", () => {
  it("write a wave's groups of one type with one statement, each aggregate's events in version order", async () => {
    await server.rows("DELETE FROM insert_statements");
    const users = Array.from({ length: 6 }, () => newId());
    const orders = users.slice(0, 3).map(() => newId());
    const tasks = Array.from({ length: 5 }, () => newId());
    const response = await allOrNothing([
      ...orders.flatMap((id, i) => [placeOrder(id, users[i]!), addOrderItem(id, "X")]),
      ...users.flatMap((id) => [createUser(id), updateUserRoles(id, ["a"])]),
      ...tasks.flatMap((id) => [createTask(id), setTaskExecutionDate(id, new Date("2026-02-03T00:00:00Z"))]),
    ]);

    expect(response.success).toBe(true);
    expect(await insertStatements()).toEqual({ users: 1, orders: 1, tasks: 1 });
    const versions = await server.rows<{ versions: string[] }>(
      `SELECT array_agg(aggregate_version::text ORDER BY id) AS versions FROM outbox
       WHERE correlation_id = $1 GROUP BY aggregate_id`,
      [response.requestId],
    );
    expect(versions).toHaveLength(users.length + orders.length + tasks.length);
    for (const { versions: list } of versions) expect(list).toEqual(["1", "2"]);
  });

  it("name the group whose write fails (an email in use) and write nothing", async () => {
    const [owner, taker, task] = [newId(), newId(), newId()];
    await allOrNothing([createUser(owner)]);
    const response = await allOrNothing([
      createTask(task),
      createUser(taker),
      updateUserEmail(taker, `${owner}@example.com`),
    ]);

    expect(response.success).toBe(false);
    expect(response.results.map((r) => [r.aggregateId, r.errorCode])).toEqual([
      [task, AggregateErrorCode.ROLLED_BACK],
      [taker, AggregateErrorCode.INVARIANT_VIOLATION],
    ]);
    expect(response.results[1]?.errorMessage).toMatch(/already in use/);
    const written = await server.rows(
      "SELECT id FROM tasks WHERE id = $1 UNION ALL SELECT id FROM users WHERE id = $2",
      [task, taker],
    );
    expect(written).toEqual([]);
  });
});
