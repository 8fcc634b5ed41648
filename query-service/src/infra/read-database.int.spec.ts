import { createLogger, defaultDatabaseLimits } from "@conveyor/runtime";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestDatabase } from "../../../test/harness/databases.ts";
import { createReadDatabase } from "../../../test/harness/migrated-databases.ts";
import { createExportService, type ExportService } from "../export/export-service.ts";
import { loadExportSettings } from "../export/export-settings.ts";
import { openReadPool } from "./read-database.ts";

const logger = createLogger("read-limits-spec", { LOG_LEVEL: "fatal" });
const settings = ["statement_timeout", "lock_timeout", "idle_in_transaction_session_timeout"];

async function shown(pool: pg.Pool): Promise<string[]> {
  return Promise.all(
    settings.map(
      async (setting) => (await pool.query<Record<string, string>>(`SHOW ${setting}`)).rows[0]![setting]!,
    ),
  );
}

let database: TestDatabase;
let readPool: pg.Pool;
let exports: ExportService;
beforeAll(async () => {
  database = await createReadDatabase("read-limits");
  readPool = openReadPool(database.url, logger, {
    statementTimeoutMs: 2_000,
    lockTimeoutMs: 300,
    idleInTransactionTimeoutMs: 4_000,
  });
  exports = createExportService({ databaseUrl: database.url, settings: loadExportSettings({}), logger });
});
afterAll(async () => {
  await readPool?.end();
  await exports?.close();
  await database?.drop();
});

describe("query-service's database session timeouts", () => {
  it("are set on every read pool connection", async () => {
    expect(await shown(readPool)).toEqual(["2s", "300ms", "4s"]);
  });

  it("give export connections their own statement timeout, longer than the read pool's default", async () => {
    const [statement, lock, idle] = await shown(exports.deps.pool);
    expect(statement).toBe("3610s"); // EXPORT_MAX_DURATION_MS (1 h) + 10 s
    expect(3_610_000).toBeGreaterThan(defaultDatabaseLimits.statementTimeoutMs);
    expect(lock).toBe("0");
    expect(idle).toBe("70s"); // max(EXPORT_IDLE_WRITE_TIMEOUT_MS, EXPORT_SNAPSHOT_HOLD_MS) + 10 s
  });

  it("make a read pool statement past its timeout fail with PostgreSQL's statement-timeout error", async () => {
    await expect(readPool.query("SELECT pg_sleep(30)")).rejects.toMatchObject({ code: "57014" });
  });
});
