import { beforeEach, describe, expect, it } from "vitest";
import { createLogger } from "@conveyor/runtime";
import { waitFor } from "../../../test/harness/wait-for.ts";
import { executeBatch } from "../batch/batch-executor.ts";
import { evolveTask, type TaskEvent } from "../task/domain/task.ts";
import { taskInMonth } from "../task/domain/task-specifications.ts";
import type { Task } from "../task/domain/task-state.ts";
import { taskAggregate } from "../task/task-aggregate.ts";
import { userHasRole } from "../user/domain/user-specifications.ts";
import { userAggregate } from "../user/user-aggregate.ts";
import { setTaskExecutionDateInBulk, suspendUsersInBulk } from "./bulk-operations.ts";
import { runBulkUpdate, type BulkUpdateOptions } from "./bulk-updater.ts";
import { updateStatement } from "./update-statement.ts";
import {
  insertTasks,
  insertUsers,
  loadOutbox,
  loadTasks,
  loadUsers,
  type OutboxRow,
} from "./testing/aggregate-rows.ts";
import { heldBatchWrite } from "./testing/held-batch-write.ts";
import { writeDatabaseForFile } from "./testing/write-database-fixture.ts";

// Bulk updates against concurrent batch commands on the same rows: row locks serialize them, the
// bulk update re-checks its whole selection on the latest row version, and nothing is lost.

const file = writeDatabaseForFile("bulk_concurrency", 8);
beforeEach(async () => {
  await file.db.query("TRUNCATE tasks, users, orders, order_items, outbox");
});

const date = new Date("2026-03-01T09:00:00.000Z");
const options: BulkUpdateOptions = {
  requestId: "bulk",
  dryRun: false,
  maxAffected: 1000,
  sampleSize: 10,
  rangeSize: 0,
};
const id = (n: number) => `0190a000-0000-7000-8000-${String(n).padStart(12, "0")}`;
const task = (n: number, changes: Partial<Task> = {}): Task => ({
  id: id(n),
  title: `task ${n}`,
  month: 3,
  category: "ops",
  completed: false,
  executionDate: null,
  version: 1,
  ...changes,
});

/** Resolves once `count` statements of this database wait for a row lock. */
function lockWaiters(count: number) {
  return waitFor(
    async () => {
      const [row] = await file.db.query<Array<{ waiting: string }>>(
        "SELECT count(*) AS waiting FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
      );
      return Number(row!.waiting) >= count;
    },
    { timeoutMs: 10_000, description: `${count} statement(s) waiting for a row lock` },
  );
}

describe("a bulk update that waits for a batch's row lock", () => {
  it("re-checks the precondition on the row the batch committed: a task completed meanwhile gets no date", async () => {
    await insertTasks(file.db, [task(1), task(2)]);
    const batch = heldBatchWrite(file.db, taskAggregate, id(1), { type: "CompleteTask" });
    await batch.written;
    const bulk = runBulkUpdate(file.db, setTaskExecutionDateInBulk(date, taskInMonth(3)), options);
    await lockWaiters(1);
    batch.release();
    await batch.committed;

    expect(await bulk).toMatchObject({
      matched: 2,
      updated: 1,
      skippedPrecondition: 1,
      unchanged: 0,
      eventsWritten: 1,
    });
    expect(await loadTasks(file.db)).toEqual([
      task(1, { completed: true, version: 2 }),
      task(2, { executionDate: date, version: 2 }),
    ]);
    expect((await loadOutbox(file.db)).map(eventOf)).toEqual([
      [id(1), "2", "conveyor.events.v1.TaskCompleted"],
      [id(2), "2", "conveyor.events.v1.TaskExecutionDateSet"],
    ]);
  });

  it("reports the status the batch committed as the previous status, at the next version", async () => {
    const user = { id: id(7), email: "a@x.de", firstName: "A", lastName: "B", roles: ["ops"], version: 1 };
    await insertUsers(file.db, [{ ...user, status: "PENDING" }]);
    const batch = heldBatchWrite(file.db, userAggregate, id(7), {
      type: "UpdateUserStatus",
      status: "ACTIVE",
    });
    await batch.written;
    const bulk = runBulkUpdate(file.db, suspendUsersInBulk(userHasRole("ops")), options);
    await lockWaiters(1);
    batch.release();
    await batch.committed;

    expect(await bulk).toMatchObject({ matched: 1, updated: 1, eventsWritten: 1 });
    expect(await loadUsers(file.db)).toEqual([{ ...user, status: "SUSPENDED", version: 3 }]);
    expect((await loadOutbox(file.db)).map((row) => [row.aggregate_version, row.payload])).toEqual([
      ["2", { status: "USER_STATUS_ACTIVE", previousStatus: "USER_STATUS_PENDING" }],
      ["3", { status: "USER_STATUS_SUSPENDED", previousStatus: "USER_STATUS_ACTIVE" }],
    ]);
  });
});

describe("a batch that comes while a bulk update holds the rows", () => {
  it("waits, then applies its command on top of the bulk update's change: no lost update", async () => {
    await insertTasks(file.db, [task(1)]);
    const runner = file.db.createQueryRunner();
    await runner.startTransaction();
    const operation = setTaskExecutionDateInBulk(date, taskInMonth(3));
    const statement = updateStatement(operation, {
      correlationId: "bulk",
      causationId: "bulk/1",
      budget: 10,
      range: null,
    });
    await runner.query(statement.text, statement.values);
    const batch = executeBatch(
      { dataSource: file.db, logger: createLogger("test", { LOG_LEVEL: "silent" }) },
      {
        requestId: "batch",
        mode: "PER_AGGREGATE",
        parallelism: 1,
        commands: [
          { index: 0, aggregateId: id(1), aggregateType: "TASK", command: { type: "CompleteTask" } },
        ],
      },
    );
    await lockWaiters(1);
    await runner.commitTransaction();
    await runner.release();

    expect(await batch).toMatchObject([{ success: true, version: 3 }]);
    expect(await loadTasks(file.db)).toEqual([task(1, { completed: true, executionDate: date, version: 3 })]);
  });
});

describe("bulk updates racing batches on the same tasks", () => {
  it("leave every task equal to replaying its events, and never date a task after it was completed", async () => {
    const tasks = Array.from({ length: 60 }, (_, n) => task(n + 1));
    await insertTasks(file.db, tasks);
    const logger = createLogger("test", { LOG_LEVEL: "silent" });
    const completeSome = (round: number) =>
      executeBatch(
        { dataSource: file.db, logger },
        {
          requestId: `batch-${round}`,
          mode: "PER_AGGREGATE",
          parallelism: 4,
          commands: tasks
            .filter((_, n) => n % 3 === round)
            .map((t, index) => ({
              index,
              aggregateId: t.id,
              aggregateType: "TASK" as const,
              command: { type: "CompleteTask" as const },
            })),
        },
      );
    for (let round = 0; round < 3; round += 1) {
      const operation = setTaskExecutionDateInBulk(new Date(date.getTime() + round), taskInMonth(3));
      await Promise.all([
        completeSome(round),
        runBulkUpdate(file.db, operation, { ...options, rangeSize: 7 }),
      ]);
    }

    const events = await loadOutbox(file.db);
    for (const current of await loadTasks(file.db)) {
      const history = events
        .filter((event) => event.aggregate_id === current.id)
        .sort((a, b) => Number(a.aggregate_version) - Number(b.aggregate_version));
      expect(history.map((event) => Number(event.aggregate_version))).toEqual(history.map((_, i) => i + 2));
      const replayed = history.reduce(
        (state, event) => evolveTask(state, state.id, domainEvent(event)),
        task(Number(current.id.slice(-12))),
      );
      expect(current).toEqual(replayed);
      const completedAt = history.findIndex((event) => event.event_type.endsWith("TaskCompleted"));
      const datedAfterCompletion = history
        .slice(completedAt + 1)
        .some((event) => event.event_type.endsWith("ExecutionDateSet"));
      expect(completedAt >= 0 && datedAfterCompletion).toBe(false);
    }
    expect(events.filter((event) => event.event_type.endsWith("TaskCompleted"))).toHaveLength(60);
  });
});

function eventOf(row: OutboxRow) {
  return [row.aggregate_id, row.aggregate_version, row.event_type];
}

function domainEvent(row: OutboxRow): TaskEvent {
  if (row.event_type === "conveyor.events.v1.TaskCompleted") return { type: "TaskCompleted" };
  const { executionDate } = row.payload as { executionDate: string };
  return { type: "TaskExecutionDateSet", executionDate: new Date(executionDate) };
}
