import type { DataSource } from "typeorm";
import { and } from "@conveyor/specification";
import { openDataSource } from "@conveyor/persistence";
import { setTaskExecutionDateInBulk } from "../../command-service/src/bulk/bulk-operations.ts";
import { runBulkUpdate } from "../../command-service/src/bulk/bulk-updater.ts";
import { migrateWriteDatabase } from "../../command-service/src/infra/write-database.ts";
import { taskInCategory, taskInMonth } from "../../command-service/src/task/domain/task-specifications.ts";
import { backendCpuMs } from "./bulk/backend-cpu.ts";
import { report, type Measured, type Size } from "./bulk/bulk-report.ts";
import { bulkPostgres, type BulkPostgres } from "./bulk/bulk-postgres.ts";
import { OutboxEntity, TaskEntity } from "./bulk/orm-entities.ts";
import { sequentialOrmUpdate } from "./bulk/sequential-orm.ts";
import { benchFilter, seedTasks } from "./bulk/seed-tasks.ts";

const allSizes: Size[] = [
  { tasks: 30_000, runs: 5, sequentialSample: 30_000, targetSeconds: 0.4 },
  { tasks: 1_000_000, runs: 3, sequentialSample: 5_000, targetSeconds: 8 },
];
/** BENCH_BULK_SIZES=30000 runs only that size (comma-separated task counts); default: all. */
const sizes = allSizes.filter(
  (size) =>
    !process.env.BENCH_BULK_SIZES || process.env.BENCH_BULK_SIZES.split(",").map(Number).includes(size.tasks),
);
const executionDate = new Date("2026-01-01T00:00:00.000Z");
const applicationName = "bench-bulk";
/** Key ranges run at once by the parallel variant: one per core of this machine's 2. */
const parallelRanges = 2;

/**
 * Bulk section: set the execution date of every open March/"ops" task, in the same run: the bulk update
 * as one statement on one connection (counts, guard, UPDATE ... RETURNING, one outbox event per row); the
 * same in `parallelRanges` key ranges run at once on as many connections; the sequential ORM way (load,
 * check, save with its event, one task per transaction); a bare UPDATE with no events, counts or guard;
 * and, for reference, that bare UPDATE on the table as it was before migration 0004 (fillfactor 100:
 * every update writes index entries). Each measured run starts from a freshly seeded, vacuumed table.
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
  // Connections stay open, so the CPU their backends used can be read around each run.
  const db = await openDataSource({
    url: database.url,
    entities: [TaskEntity, OutboxEntity],
    migrations: [],
    poolSize: parallelRanges + 1,
    applicationName,
    extra: { idleTimeoutMillis: 0 },
  });
  try {
    const bulk: Measured[] = [];
    const parallel: Measured[] = [];
    const bare: Measured[] = [];
    for (let i = 0; i < size.runs; i += 1) {
      bulk.push(await seededRun(db, size.tasks, () => bulkUpdate(db, size.tasks, 0)));
      parallel.push(await seededRun(db, size.tasks, () => bulkUpdate(db, size.tasks, parallelRanges)));
      bare.push(await seededRun(db, size.tasks, () => bareUpdate(db, size.tasks)));
    }
    const bareFull = await withFillfactor(db, 100, () =>
      seededRun(db, size.tasks, () => bareUpdate(db, size.tasks)),
    );
    const sample = await seededRun(db, size.tasks, async () =>
      expectCount(await sequentialOrmUpdate(db, executionDate, size.sequentialSample), size.sequentialSample),
    );
    report({ postgres, size, bulk, parallel, parallelRanges, bare, bareFull, sampleSeconds: sample.seconds });
  } finally {
    await db.destroy();
    await database.drop();
  }
}

/** ranges 0: one statement; otherwise that many key ranges, all at once. */
async function bulkUpdate(db: DataSource, expected: number, ranges: number): Promise<void> {
  const filter = and(taskInMonth(benchFilter.month), taskInCategory(benchFilter.category));
  const options = {
    requestId: "bench",
    dryRun: false,
    maxAffected: 10_000_000,
    sampleSize: 0,
    rangeSize: ranges === 0 ? 0 : Math.ceil(expected / ranges),
    rangeConcurrency: ranges,
  };
  const result = await runBulkUpdate(db, setTaskExecutionDateInBulk(executionDate, filter), options);
  expectCount(result.updated, expected);
  expectCount(result.eventsWritten, expected);
  expectCount(result.rangesCommitted, Math.max(ranges, 1));
}

async function bareUpdate(db: DataSource, expected: number): Promise<void> {
  const [, updated] = await db.query<[unknown[], number]>(
    `UPDATE tasks SET execution_date = $1, version = version + 1, updated_at = now()
     WHERE month = $2 AND category = $3 AND NOT completed`,
    [executionDate, benchFilter.month, benchFilter.category],
  );
  expectCount(updated, expected);
}

async function withFillfactor<R>(db: DataSource, fillfactor: number, work: () => Promise<R>): Promise<R> {
  const [row] = await db.query<Array<{ options: string[] | null }>>(
    "SELECT reloptions AS options FROM pg_class WHERE oid = 'tasks'::regclass",
  );
  await db.query(`ALTER TABLE tasks SET (fillfactor = ${fillfactor})`);
  try {
    return await work();
  } finally {
    const previous = row!.options?.find((option) => option.startsWith("fillfactor="));
    await db.query(previous ? `ALTER TABLE tasks SET (${previous})` : "ALTER TABLE tasks RESET (fillfactor)");
  }
}

async function seededRun(db: DataSource, tasks: number, work: () => Promise<void>): Promise<Measured> {
  await seedTasks(db, tasks);
  const cpuBefore = await backendCpuMs(db, applicationName);
  const start = performance.now();
  await work();
  const seconds = (performance.now() - start) / 1000;
  const cpuAfter = await backendCpuMs(db, applicationName);
  const cpu = cpuBefore === undefined || cpuAfter === undefined ? undefined : (cpuAfter - cpuBefore) / 1000;
  return { seconds, cpu };
}

function expectCount(actual: number, expected: number): void {
  if (actual !== expected) throw new Error(`expected ${expected} rows, got ${actual}`);
}
