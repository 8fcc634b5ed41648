import { expect, it } from "vitest";
import { taskInMonth } from "../task/domain/task-specifications.ts";
import type { Task } from "../task/domain/task-state.ts";
import { setTaskExecutionDateInBulk } from "./bulk-operations.ts";
import { runBulkUpdate } from "./bulk-updater.ts";
import { insertTasks } from "./testing/aggregate-rows.ts";
import { writeDatabaseForFile } from "./testing/write-database-fixture.ts";

// The tasks table keeps room on each page (fillfactor), so a bulk update of every task on a page writes
// the new row versions next to the old ones (HOT updates: no index entries), instead of moving them.

const file = writeDatabaseForFile("bulk_hot", 1);

const task = (n: number): Task => ({
  id: `0190a000-0000-7000-8000-${String(n).padStart(12, "0")}`,
  title: `task ${n}`,
  month: 3,
  category: "ops",
  completed: false,
  executionDate: null,
  version: 1,
});

it("updates every task of full pages in place: each new row version stays on its page", async () => {
  await insertTasks(
    file.db,
    Array.from({ length: 2000 }, (_, n) => task(n)),
  );
  const before = await pagesById();
  expect(new Set(before.values()).size).toBeGreaterThan(10);

  const operation = setTaskExecutionDateInBulk(new Date("2026-01-01T00:00:00.000Z"), taskInMonth(3));
  const options = { requestId: "hot", dryRun: false, maxAffected: 2000, sampleSize: 0, rangeSize: 0 };
  expect(await runBulkUpdate(file.db, operation, options)).toMatchObject({ updated: 2000 });

  expect(await pagesById()).toEqual(before);
});

async function pagesById(): Promise<Map<string, number>> {
  const rows = await file.db.query<Array<{ id: string; page: number }>>(
    "SELECT id, (ctid::text::point)[0]::int AS page FROM tasks",
  );
  return new Map(rows.map((row) => [row.id, row.page]));
}
