import pg from "pg";
import { migrate } from "@conveyor/persistence";
import {
  type DatabaseLimits,
  type Logger,
  defaultDatabaseLimits,
  postgresSessionSettings,
} from "@conveyor/runtime";
import { ReadModel1764000000001 } from "./migrations/0001-read-model.ts";
import { ProjectionState1764000000002 } from "./migrations/0002-projection-state.ts";
import { ExportChangeTracking1764000000600 } from "./migrations/0006-export-change-tracking.ts";

const migrations = [ReadModel1764000000001, ProjectionState1764000000002, ExportChangeTracking1764000000600];

/** Applies the read model's migrations. */
export function migrateReadDatabase(url: string): Promise<void> {
  return migrate({ url, migrations, applicationName: "conveyor-query-migrate" });
}

/**
 * The read pool the projector writes through. Every connection carries the session timeouts of
 * `limits` (DB_* variables), so a stuck projection batch cannot hold rows or a transaction for good.
 */
export function openReadPool(
  url: string,
  logger: Logger,
  limits: DatabaseLimits = defaultDatabaseLimits,
): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    application_name: "conveyor-query-service",
    ...postgresSessionSettings(limits),
  });
  // An idle client that loses its connection (e.g. a database restart) must not crash the process.
  pool.on("error", (error) => logger.warn({ err: error }, "idle read database connection failed"));
  return pool;
}
