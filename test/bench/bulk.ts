import { loadavg } from "node:os";
import type { DataSource } from "typeorm";
import { and } from "@conveyor/specification";
import { openDataSource } from "@conveyor/persistence";
import { setTaskExecutionDateInBulk } from "../../command-service/src/bulk/bulk-operations.ts";
import { runBulkUpdate } from "../../command-service/src/bulk/bulk-updater.ts";
import { migrateWriteDatabase } from "../../command-service/src/infra/write-database.ts";
import { taskInCategory, taskInMonth } from "../../command-service/src/task/domain/task-specifications.ts";
import { backendCpuMs } from "./bulk/backend-cpu.ts";
import { bulkPostgres, type BulkPostgres } from "./bulk/bulk-postgres.ts";
import { OutboxEntity, TaskEntity } from "./bulk/orm-entities.ts";
import { sequentialOrmUpdate } from "./bulk/sequential-orm.ts";
import { benchFilter, seedTasks } from "./bulk/seed-tasks.ts";

interface Size {
  tasks: number;
  /** Measured runs of the bulk update and of the bare UPDATE each (medians reported). */
  runs: number;
  /** Tasks the sequential way processes; fewer than `tasks` means its time is extrapolated. */
  sequentialSample: number;
  targetSeconds: number;
}

const sizes: Size[] = [
  { tasks: 30_000, runs: 5, sequentialSample: 30_000, targetSeconds: 0.4 },
  { tasks: 1_000_000, runs: 3, sequentialSample: 5_000, targetSeconds: 8 },
];
const executionDate = new Date("2026-01-01T00:00:00.000Z");

interface Measured {
  seconds: number;
  /** Server CPU seconds, when the server is a local process. */
  cpu: number | undefined;
}

/**
 * Bulk section: set the execution date of every open March/"ops" task, three ways, in the same run:
 * the bulk update (one statement: counts, guard, UPDATE ... RETURNING, one outbox event per row), the
 * sequential ORM way (load, check, save with its event, one task per transaction), and a bare UPDATE
 * with no events, counts or guard. Each measured run starts from a freshly seeded, vacuumed table.
 */
export async function run(): Promise<void> {
  const postgres = await bulkPostgres();
  try {
    for (const size of sizes) await measure(postgres, size);
  } finally {
    await postgres.stop();
  }
}

async function measure(postgres: BulkPostgres, size: Size): Promise<void> {
  const database = await postgres.createDatabase();
  await migrateWriteDatabase(database.url);
  // One connection: every statement runs on the same backend, whose CPU time is read around it.
  const db = await openDataSource({
    url: database.url,
    entities: [TaskEntity, OutboxEntity],
    migrations: [],
    poolSize: 1,
    applicationName: "bench-bulk",
  });
  try {
    const bulk: Measured[] = [];
    const bare: Measured[] = [];
    for (let i = 0; i < size.runs; i += 1) {
      bulk.push(await seededRun(db, size.tasks, () => bulkUpdate(db, size.tasks)));
      bare.push(await seededRun(db, size.tasks, () => bareUpdate(db, size.tasks)));
    }
    const sample = await seededRun(db, size.tasks, async () =>
      expectCount(await sequentialOrmUpdate(db, executionDate, size.sequentialSample), size.sequentialSample),
    );
    report(postgres, size, bulk, bare, sample.seconds);
  } finally {
    await db.destroy();
    await database.drop();
  }
}

async function bulkUpdate(db: DataSource, expected: number): Promise<void> {
  const filter = and(taskInMonth(benchFilter.month), taskInCategory(benchFilter.category));
  const options = { requestId: "bench", dryRun: false, maxAffected: 10_000_000, sampleSize: 0, rangeSize: 0 };
  const result = await runBulkUpdate(db, setTaskExecutionDateInBulk(executionDate, filter), options);
  expectCount(result.updated, expected);
  expectCount(result.eventsWritten, expected);
}

async function bareUpdate(db: DataSource, expected: number): Promise<void> {
  const [, updated] = await db.query<[unknown[], number]>(
    `UPDATE tasks SET execution_date = $1, version = version + 1, updated_at = now()
     WHERE month = $2 AND category = $3 AND NOT completed`,
    [executionDate, benchFilter.month, benchFilter.category],
  );
  expectCount(updated, expected);
}

async function seededRun(db: DataSource, tasks: number, work: () => Promise<void>): Promise<Measured> {
  await seedTasks(db, tasks);
  const cpuBefore = await backendCpuMs(db);
  const start = performance.now();
  await work();
  const seconds = (performance.now() - start) / 1000;
  const cpuAfter = await backendCpuMs(db);
  const cpu = cpuBefore === undefined || cpuAfter === undefined ? undefined : (cpuAfter - cpuBefore) / 1000;
  return { seconds, cpu };
}

function expectCount(actual: number, expected: number): void {
  if (actual !== expected) throw new Error(`expected ${expected} rows, got ${actual}`);
}

function report(
  postgres: BulkPostgres,
  size: Size,
  bulkRuns: Measured[],
  bareRuns: Measured[],
  sampleSeconds: number,
) {
  const bulk = median(bulkRuns.map((run) => run.seconds));
  const bare = median(bareRuns.map((run) => run.seconds));
  const sequential = (sampleSeconds * size.tasks) / size.sequentialSample;
  const extrapolated = size.sequentialSample < size.tasks;
  const how = extrapolated
    ? `EXTRAPOLATED from ${count(size.sequentialSample)} tasks in ${sampleSeconds.toFixed(1)} s`
    : "measured in full";
  const verdict = (ok: boolean) => (ok ? "met" : "MISSED");
  console.log(`bulk: set the execution date of ${count(size.tasks)} tasks (+10% others)`);
  console.log(
    `  server: ${postgres.description}; load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(" ")} on this machine`,
  );
  console.log(`  bulk update, with events  ${bulk.toFixed(3)} s  ${runs(bulkRuns)}`);
  console.log(`  bare UPDATE, no events    ${bare.toFixed(3)} s  ${runs(bareRuns)}`);
  console.log(
    `  sequential ORM            ${sequential.toFixed(1)} s  (${how}; load, check, save + event, a transaction per task)`,
  );
  console.log(`  bulk < ${size.targetSeconds} s                ${verdict(bulk < size.targetSeconds)}`);
  console.log(
    `  bulk / bare               ${(bulk / bare).toFixed(2)}x wall${cpuRatio(bulkRuns, bareRuns)} (target <= 1.5x: ${verdict(bulk / bare <= 1.5)})`,
  );
  console.log(
    `  sequential / bulk         ${Math.round(sequential / bulk)}x (target >= 100x: ${verdict(sequential / bulk >= 100)})`,
  );
}

function runs(measured: Measured[]): string {
  const wall = measured.map((run) => run.seconds.toFixed(3)).join(", ");
  const cpu = measured.every((run) => run.cpu !== undefined)
    ? `; server CPU ${median(measured.map((run) => run.cpu!)).toFixed(2)} s`
    : "";
  return `(median of ${measured.length}: ${wall}${cpu})`;
}

function cpuRatio(bulk: Measured[], bare: Measured[]): string {
  if (![...bulk, ...bare].every((run) => run.cpu !== undefined)) return "";
  return `, ${(median(bulk.map((run) => run.cpu!)) / median(bare.map((run) => run.cpu!))).toFixed(2)}x server CPU`;
}

function count(n: number): string {
  return n.toLocaleString("en-US");
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}
