import { beforeEach, describe, expect, it } from "vitest";
import { InfrastructureError, InvariantViolation } from "@conveyor/errors";
import { taskInMonth } from "../task/domain/task-specifications.ts";
import type { Task } from "../task/domain/task-state.ts";
import { waitFor } from "../../../test/harness/wait-for.ts";
import { BulkUpdateInterrupted } from "./bulk-errors.ts";
import { setTaskExecutionDateInBulk } from "./bulk-operations.ts";
import { runBulkUpdate, type BulkUpdateOptions } from "./bulk-updater.ts";
import { updateStatement, type UpdateRow } from "./update-statement.ts";
import { insertTasks, loadOutbox, loadTasks } from "./testing/aggregate-rows.ts";
import { writeDatabaseForFile } from "./testing/write-database-fixture.ts";

// The max-affected guard, key ranges committed one after another, and what a failing range reports.

const file = writeDatabaseForFile("bulk_ranges", 4);

const date = new Date("2026-03-01T09:00:00.000Z");
const options: BulkUpdateOptions = {
  requestId: "bulk",
  dryRun: false,
  maxAffected: 1000,
  sampleSize: 10,
  rangeSize: 0,
};
const operation = setTaskExecutionDateInBulk(date, taskInMonth(3));
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

/** Ten tasks that change (ids 1..10), interleaved with tasks that don't: completed, already dated, other month. */
const seeded = [
  ...Array.from({ length: 10 }, (_, n) => task(n * 10 + 1)),
  task(2, { completed: true }),
  task(33, { executionDate: date }),
  task(55, { month: 4 }),
  task(99, { completed: true }),
];
const changing = seeded.filter((t) => t.month === 3 && !t.completed && t.executionDate === null);

beforeEach(async () => {
  await file.db.query("DROP TRIGGER IF EXISTS refuse_one ON tasks");
  await file.db.query("DROP TRIGGER IF EXISTS add_late_tasks ON tasks");
  await file.db.query("TRUNCATE tasks, outbox");
  await insertTasks(file.db, seeded);
});

describe("the max-affected guard", () => {
  it.each([0, 3])(
    "fails before writing anything when more would change (range size %i)",
    async (rangeSize) => {
      const run = runBulkUpdate(file.db, operation, { ...options, maxAffected: 9, rangeSize });
      await expect(run).rejects.toThrow(
        new InvariantViolation("10 aggregate(s) would change, more than max_affected 9; nothing was written"),
      );
      expect(await loadTasks(file.db)).toEqual(byId(seeded));
      expect(await loadOutbox(file.db)).toEqual([]);
    },
  );

  it("lets exactly max-affected changes through", async () => {
    expect(await runBulkUpdate(file.db, operation, { ...options, maxAffected: 10 })).toMatchObject({
      updated: 10,
    });
  });

  it("is part of each range's statement: over its budget, the statement changes nothing", async () => {
    const statement = updateStatement(operation, {
      correlationId: "c",
      causationId: "c/1",
      budget: 2,
      range: { after: null, upTo: id(21) },
    });
    const [row] = await file.db.query<UpdateRow[]>(statement.text, statement.values);
    expect(row).toMatchObject({ updated: "0" });
    expect(await loadOutbox(file.db)).toEqual([]);
  });
});

describe("key ranges", () => {
  it.each([1, 3])(
    "commits ranges of at most range-size changing rows, adding up to what one statement does (%i at once)",
    async (rangeConcurrency) => {
      const result = await runBulkUpdate(file.db, operation, { ...options, rangeSize: 3, rangeConcurrency });

      expect(result).toEqual({
        matched: 13,
        updated: 10,
        skippedPrecondition: 2,
        unchanged: 1,
        eventsWritten: 10,
        rangesCommitted: 4,
        sample: [],
      });
      const dated = (await loadTasks(file.db)).filter((t) => t.version === 2);
      expect(dated.map((t) => t.id)).toEqual(changing.map((t) => t.id));
      expect((await loadOutbox(file.db)).map((row) => row.aggregate_id)).toEqual(changing.map((t) => t.id));
    },
  );

  it("runs a single range when no more than range-size rows change", async () => {
    expect(await runBulkUpdate(file.db, operation, { ...options, rangeSize: 10 })).toMatchObject({
      updated: 10,
      rangesCommitted: 1,
    });
  });

  it("on a failing range, keeps the ranges before it and reports what they changed", async () => {
    // The 5th changing task refuses any update: ranges 1 and 2 (tasks 1..4) commit, range 3 fails.
    await file.db.query(`
      CREATE OR REPLACE FUNCTION refuse_one() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'refused by test trigger'; END $$`);
    await file.db.query(
      `CREATE TRIGGER refuse_one BEFORE UPDATE ON tasks FOR EACH ROW WHEN (OLD.id = '${id(41)}') EXECUTE FUNCTION refuse_one()`,
    );

    const failure: unknown = await runBulkUpdate(file.db, operation, { ...options, rangeSize: 2 }).catch(
      (error: unknown) => error,
    );

    expect(failure).toBeInstanceOf(BulkUpdateInterrupted);
    const interrupted = failure as BulkUpdateInterrupted;
    expect(interrupted.committed).toMatchObject({ rangesCommitted: 2, updated: 4, eventsWritten: 4 });
    expect(interrupted.message).toBe(
      "bulk update stopped after 2 committed range(s) (4 aggregate(s) updated, 4 event(s) written)",
    );
    expect(interrupted.cause).toBeInstanceOf(InfrastructureError);
    expect((interrupted.cause as InfrastructureError).retriable).toBe(false);
    const dated = (await loadTasks(file.db)).filter((t) => t.version === 2).map((t) => t.id);
    expect(dated).toEqual(changing.slice(0, 4).map((t) => t.id));
    expect(await loadOutbox(file.db)).toHaveLength(4);
  });
});

describe("key ranges running at once", () => {
  it("on a failing range, let the others end and report exactly the ranges that committed", async () => {
    // The first range (tasks 1 and 11) waits for a row lock on task 1 while the other four ranges run
    // and commit on the second connection; then the lock is released and the refusing trigger fails it.
    await file.db.query(`
      CREATE OR REPLACE FUNCTION refuse_one() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'refused by test trigger'; END $$`);
    await file.db.query(
      `CREATE TRIGGER refuse_one BEFORE UPDATE ON tasks FOR EACH ROW WHEN (OLD.id = '${id(1)}') EXECUTE FUNCTION refuse_one()`,
    );
    const holder = file.db.createQueryRunner();
    await holder.connect();
    await holder.startTransaction();
    await holder.query("SELECT 1 FROM tasks WHERE id = $1 FOR UPDATE", [id(1)]);

    const run = runBulkUpdate(file.db, operation, { ...options, rangeSize: 2, rangeConcurrency: 2 }).catch(
      (error: unknown) => error,
    );
    await waitFor(async () => (await loadOutbox(file.db)).length === 8, {
      timeoutMs: 10_000,
      description: "ranges 2 to 5 committed",
    });
    await holder.commitTransaction();
    await holder.release();
    const failure = await run;

    expect(failure).toBeInstanceOf(BulkUpdateInterrupted);
    const interrupted = failure as BulkUpdateInterrupted;
    expect(interrupted.committed).toMatchObject({ rangesCommitted: 4, updated: 8, eventsWritten: 8 });
    expect(interrupted.ranges).toEqual({ committedRanges: [2, 3, 4, 5], rangesStarted: 5 });
    expect(interrupted.message).toBe(
      "bulk update stopped after 4 committed range(s) (8 aggregate(s) updated, 8 event(s) written); " +
        "ranges ran at once: committed 2, 3, 4, 5 of the 5 started (in key order)",
    );
    const dated = (await loadTasks(file.db)).filter((t) => t.version === 2).map((t) => t.id);
    expect(dated).toEqual(changing.slice(2).map((t) => t.id));
    expect(await loadOutbox(file.db)).toHaveLength(8);
  });
});

describe("the max-affected guard across ranges", () => {
  it("stops at the range that would exceed it when tasks appear after the first count", async () => {
    // The first range's statement also creates five more matching tasks (after every other id), as a
    // concurrent writer could: 15 would now change, against max_affected 10 counted before range 1.
    await file.db.query(`
      CREATE OR REPLACE FUNCTION add_late_tasks() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO tasks (id, title, month, category, completed, version)
        SELECT ('ffffffff-0000-7000-8000-' || lpad(i::text, 12, '0'))::uuid, 'late', 3, 'ops', false, 1
        FROM generate_series(1, 5) AS i
        ON CONFLICT (id) DO NOTHING;
        RETURN NULL;
      END $$`);
    await file.db.query(
      "CREATE TRIGGER add_late_tasks AFTER UPDATE ON tasks FOR EACH STATEMENT EXECUTE FUNCTION add_late_tasks()",
    );

    const failure: unknown = await runBulkUpdate(file.db, operation, {
      ...options,
      maxAffected: 10,
      rangeSize: 3,
    }).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(BulkUpdateInterrupted);
    const interrupted = failure as BulkUpdateInterrupted;
    expect(interrupted.committed).toMatchObject({ rangesCommitted: 3, updated: 9, eventsWritten: 9 });
    expect(interrupted.cause).toEqual(
      new InvariantViolation(
        "12 aggregate(s) would change, more than max_affected 10; this range was not written",
      ),
    );
    expect(await loadOutbox(file.db)).toHaveLength(9);
  });
});

function byId(tasks: Task[]): Task[] {
  return [...tasks].sort((a, b) => (a.id < b.id ? -1 : 1));
}
