import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AggregateErrorCode, TransactionMode } from "@conveyor/proto/conveyor/command/v1/batch_pb";
import { envelopeOf, type OutboxRecord } from "@conveyor/messaging";
import { collect } from "@conveyor/runtime/testing";
import { startBatchTestServer, type BatchTestServer } from "./testing/batch-test-server.ts";
import {
  addOrderItem,
  cancelOrder,
  changeShippingAddress,
  completeTask,
  createTask,
  createUser,
  markOrderPaid,
  newId,
  placeOrder,
  setTaskExecutionDate,
  shipOrder,
  updateUserEmail,
  updateUserRoles,
  updateUserStatus,
  UserStatus,
  type CommandInit,
} from "./testing/commands.ts";

let server: BatchTestServer;
beforeAll(async () => {
  server = await startBatchTestServer("batch_execute");
});
afterAll(() => server.stop());

const execute = (commands: CommandInit[], mode = TransactionMode.PER_AGGREGATE) =>
  server.client.batchExecute({ requestId: newId(), commands, options: { transactionMode: mode } });

const eventsOf = (aggregateId: string) =>
  server.rows<{ event_type: string; aggregate_version: string }>(
    "SELECT event_type, aggregate_version FROM outbox WHERE aggregate_id = $1 ORDER BY id",
    [aggregateId],
  );

const versionOf = async (table: "users" | "orders" | "tasks", id: string) =>
  (await server.rows<{ version: string }>(`SELECT version FROM ${table} WHERE id = $1`, [id]))[0]?.version;

describe("BatchExecute", () => {
  it("runs every command of every aggregate, writing state and one decodable outbox event per change", async () => {
    const [user, order, cancelled, task] = [newId(), newId(), newId(), newId()];
    const response = await execute([
      createUser(user),
      updateUserEmail(user, "ada@new.example"),
      updateUserStatus(user, UserStatus.ACTIVE),
      updateUserRoles(user, ["admin"]),
      placeOrder(order, user),
      addOrderItem(order),
      changeShippingAddress(order, "Hamburg"),
      markOrderPaid(order),
      shipOrder(order),
      placeOrder(cancelled, user),
      cancelOrder(cancelled),
      createTask(task),
      setTaskExecutionDate(task, new Date("2026-05-01T08:00:00Z")),
      completeTask(task),
    ]);

    expect(response.success).toBe(true);
    expect(response.consistencyToken).toMatch(/^ct1\.\d+$/);
    expect(
      response.results.map((r) => [r.aggregateId, r.commandsProcessed, r.eventsGenerated, r.version]),
    ).toEqual([
      [user, 4, 4, 4n],
      [order, 5, 5, 5n],
      [cancelled, 2, 2, 2n],
      [task, 3, 3, 3n],
    ]);
    expect((await eventsOf(order)).map((e) => e.event_type.split(".").pop())).toEqual([
      "OrderPlaced",
      "OrderItemAdded",
      "OrderShippingAddressChanged",
      "OrderPaid",
      "OrderShipped",
    ]);
    const [orderRow] = await server.rows<{ status: string; ship_city: string; lines: string }>(
      "SELECT status, ship_city, (SELECT count(*) FROM order_items WHERE order_id = id) AS lines FROM orders WHERE id = $1",
      [order],
    );
    expect(orderRow).toEqual({ status: "SHIPPED", ship_city: "Hamburg", lines: "2" });
    const [taskRow] = await server.rows("SELECT completed, execution_date FROM tasks WHERE id = $1", [task]);
    expect(taskRow).toEqual({ completed: true, execution_date: new Date("2026-05-01T08:00:00Z") });

    const records = await server.rows<OutboxRecord>(
      `SELECT id, event_id AS "eventId", aggregate_type AS "aggregateType", aggregate_id AS "aggregateId",
         aggregate_version::float8 AS "aggregateVersion", event_type AS "eventType", payload,
         occurred_at AS "occurredAt", correlation_id AS "correlationId", causation_id AS "causationId"
       FROM outbox WHERE correlation_id = $1 ORDER BY id`,
      [response.requestId],
    );
    expect(records).toHaveLength(14);
    const envelopes = records.map(envelopeOf);
    expect(envelopes.find((e) => e.payload.case === "orderPlaced")?.payload.value).toMatchObject({
      customerId: user,
      items: [{ sku: "SKU-1", quantity: 1, unitPriceMinor: 100n }],
    });
    const created = envelopes.find((e) => e.payload.case === "userCreated");
    expect(created).toMatchObject({
      aggregateId: user,
      aggregateVersion: 1n,
      causationId: `${response.requestId}/0`,
    });
  });

  it("fails only the group whose command breaks an invariant, rolling back that group's earlier commands", async () => {
    const [ok, broken] = [newId(), newId()];
    const response = await execute([
      createTask(ok),
      createTask(broken),
      completeTask(broken),
      completeTask(broken),
    ]);

    expect(response.success).toBe(false);
    expect(response.succeededAggregates).toBe(1);
    expect(response.failedAggregates).toBe(1);
    expect(response.results[1]).toMatchObject({
      aggregateId: broken,
      success: false,
      errorCode: AggregateErrorCode.INVARIANT_VIOLATION,
      failedCommandIndex: 3,
      commandsProcessed: 0,
      eventsGenerated: 0,
      version: 0n,
    });
    expect(await versionOf("tasks", ok)).toBe("1");
    expect(await versionOf("tasks", broken)).toBeUndefined();
    expect(await eventsOf(broken)).toEqual([]);
  });

  it("fails a group whose expected version does not match with CONCURRENCY_CONFLICT, leaving it unchanged", async () => {
    const user = newId();
    await execute([createUser(user)]);
    const response = await execute([
      updateUserRoles(user, ["a"], { expectedVersion: 1n }),
      updateUserRoles(user, ["b"], { expectedVersion: 1n }),
    ]);

    expect(response.results[0]).toMatchObject({
      success: false,
      errorCode: AggregateErrorCode.CONCURRENCY_CONFLICT,
      failedCommandIndex: 1,
      version: 1n,
    });
    expect(await versionOf("users", user)).toBe("1");
  });

  it("reports a refused creation and a missing aggregate with their own codes", async () => {
    const [existing, missing] = [newId(), newId()];
    await execute([createTask(existing)]);
    const response = await execute([createTask(existing), completeTask(missing)]);
    expect(response.results.map((r) => r.errorCode)).toEqual([
      AggregateErrorCode.ALREADY_EXISTS,
      AggregateErrorCode.NOT_FOUND,
    ]);
  });

  it("runs a group's commands in request order: an update before the creation finds nothing", async () => {
    const user = newId();
    const response = await execute([updateUserEmail(user, "early@example.com"), createUser(user)]);
    expect(response.results[0]).toMatchObject({
      errorCode: AggregateErrorCode.NOT_FOUND,
      failedCommandIndex: 0,
    });
  });

  it("refuses an email another user already has, failing that group only", async () => {
    const [first, second, third] = [newId(), newId(), newId()];
    await execute([createUser(first), createUser(second)]);
    const response = await execute([updateUserEmail(second, `${first}@example.com`), createUser(third)]);
    expect(response.results.map((r) => r.success)).toEqual([false, true]);
    expect(response.results[0]).toMatchObject({
      errorCode: AggregateErrorCode.INVARIANT_VIOLATION,
      errorMessage: expect.stringContaining("already in use") as string,
      version: 1n,
    });
    const [row] = await server.rows<{ email: string }>("SELECT email FROM users WHERE id = $1", [second]);
    expect(row?.email).toBe(`${second}@example.com`);
  });

  describe("all-or-nothing", () => {
    it("rolls the whole batch back when one group fails", async () => {
      const [user, task] = [newId(), newId()];
      const response = await execute(
        [createUser(user), createTask(task), completeTask(task), completeTask(task)],
        TransactionMode.ALL_OR_NOTHING,
      );

      expect(response.success).toBe(false);
      expect(response.results.map((r) => [r.aggregateId, r.errorCode])).toEqual([
        [user, AggregateErrorCode.ROLLED_BACK],
        [task, AggregateErrorCode.INVARIANT_VIOLATION],
      ]);
      expect(response.results[1]?.failedCommandIndex).toBe(3);
      expect(await versionOf("users", user)).toBeUndefined();
      expect(await versionOf("tasks", task)).toBeUndefined();
      expect([...(await eventsOf(user)), ...(await eventsOf(task))]).toEqual([]);
    });

    it("commits every group together when all succeed", async () => {
      const [user, order] = [newId(), newId()];
      const response = await execute(
        [placeOrder(order, user), createUser(user)],
        TransactionMode.ALL_OR_NOTHING,
      );
      expect(response.success).toBe(true);
      expect(await versionOf("orders", order)).toBe("1");
    });
  });

  describe("dependencies", () => {
    it("places an order after its customer's group even when listed first", async () => {
      const [user, order] = [newId(), newId()];
      const response = await execute([
        placeOrder(order, user),
        createUser(user),
        updateUserRoles(user, ["buyer"]),
      ]);
      expect(response.success).toBe(true);
      expect(response.results.map((r) => r.aggregateId)).toEqual([order, user]);
    });

    it("fails the order with DEPENDENCY_FAILED when its customer's group fails or the customer does not exist", async () => {
      const [user, order, orphan] = [newId(), newId(), newId()];
      const response = await execute([
        createUser(user),
        updateUserStatus(user, UserStatus.PENDING),
        placeOrder(order, user),
        placeOrder(orphan, newId()),
      ]);
      expect(response.results.map((r) => [r.errorCode, r.failedCommandIndex])).toEqual([
        [AggregateErrorCode.INVARIANT_VIOLATION, 1],
        [AggregateErrorCode.DEPENDENCY_FAILED, 2],
        [AggregateErrorCode.DEPENDENCY_FAILED, 3],
      ]);
      expect(response.results[2]?.errorMessage).toMatch(/does not exist/);
      expect(await versionOf("orders", order)).toBeUndefined();
    });

    it("fails every group of a dependency cycle, and one that names an aggregate of another type", async () => {
      const [a, b, self, task, byTask] = [newId(), newId(), newId(), newId(), newId()];
      const response = await execute([
        placeOrder(a, b),
        placeOrder(b, a),
        placeOrder(self, self),
        createTask(task),
        placeOrder(byTask, task),
      ]);
      const [first, second, third, tasks, fifth] = response.results;
      expect([first, second, third].map((r) => [r?.errorCode, r?.errorMessage])).toEqual([
        [AggregateErrorCode.DEPENDENCY_FAILED, `dependency cycle: ${a} -> ${b} -> ${a}`],
        [AggregateErrorCode.DEPENDENCY_FAILED, `dependency cycle: ${b} -> ${a} -> ${b}`],
        [AggregateErrorCode.DEPENDENCY_FAILED, `dependency cycle: ${self} -> ${self}`],
      ]);
      expect(tasks?.success).toBe(true);
      expect(fifth?.errorMessage).toBe(`customer ${task} is a TASK in this batch, not a USER`);
    });
  });

  it("streams each group's result as it ends, then a summary", async () => {
    const [task, broken] = [newId(), newId()];
    const messages = await collect(
      server.client.batchExecuteStream({
        requestId: newId(),
        commands: [createTask(task), completeTask(broken)],
      }),
    );
    const results = messages.flatMap((m) => (m.message.case === "result" ? [m.message.value] : []));
    expect(results.map((r) => r.aggregateId).sort()).toEqual([task, broken].sort());
    expect(messages.at(-1)?.message).toMatchObject({
      case: "summary",
      value: {
        success: false,
        succeededAggregates: 1,
        failedAggregates: 1,
        replayed: false,
        consistencyToken: expect.stringMatching(/^ct1\.\d+$/) as string,
      },
    });
  });

  it("writes one audit row per executed batch", async () => {
    const response = await execute([createTask(newId()), completeTask(newId())]);
    const audit = await server.rows("SELECT * FROM batch_audit WHERE batch_id = $1", [response.requestId]);
    expect(audit).toEqual([
      expect.objectContaining({
        principal: "anonymous",
        total_commands: 2,
        successful_aggregates: 1,
        failed_aggregates: 1,
        executed_at: expect.any(Date) as Date,
        duration_ms: expect.any(Number) as number,
      }),
    ]);
  });
});
