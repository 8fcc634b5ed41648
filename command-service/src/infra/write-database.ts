import type { DataSource } from "typeorm";
import { migrate, openDataSource } from "@conveyor/persistence";
import { type DatabaseLimits, defaultDatabaseLimits, postgresSessionSettings } from "@conveyor/runtime";
import { WriteModel0001 } from "./migrations/0001-write-model.ts";
import { BatchRequestClaims1764000000002 } from "./migrations/0002-batch-request-claims.ts";
import { OutboxRelay0003 } from "./migrations/0003-outbox-relay.ts";
import { OutboxScanFloor0003 } from "./migrations/0003-outbox-scan-floor.ts";
import { TasksFillfactor0004 } from "./migrations/0004-tasks-fillfactor.ts";

const migrations = [
  WriteModel0001,
  BatchRequestClaims1764000000002,
  OutboxRelay0003,
  OutboxScanFloor0003,
  TasksFillfactor0004,
];

/** Applies the write model's migrations. */
export function migrateWriteDatabase(url: string): Promise<void> {
  return migrate({ url, migrations, applicationName: "conveyor-command-migrate" });
}

/**
 * The write pool. Every connection carries the session timeouts of `limits` (DB_* variables), so a
 * runaway statement, a long lock wait or a stalled transaction cannot hold the database for good.
 */
export function openWriteDatabase(
  url: string,
  poolSize: number,
  limits: DatabaseLimits = defaultDatabaseLimits,
): Promise<DataSource> {
  return openDataSource({
    url,
    migrations,
    poolSize,
    applicationName: "conveyor-command-service",
    extra: postgresSessionSettings(limits),
  });
}
