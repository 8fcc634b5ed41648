import { randomBytes } from "node:crypto";
import { databaseUrl, withClient } from "../../../deploy/local/postgres.ts";
import { startEmbeddedPostgres } from "../../../deploy/local/embedded-postgres.ts";
import { cachePath } from "../../../deploy/local/paths.ts";
import { integer } from "@conveyor/runtime";

/** Settings for million-row statements; durability stays at PostgreSQL's defaults (fsync, full page writes). */
export const bulkSettings = {
  shared_buffers: "1GB",
  wal_buffers: "64MB",
  work_mem: "64MB",
  // Checkpoints only where the benchmark asks for them (before each measured run), not in the middle of one.
  max_wal_size: "16GB",
  checkpoint_timeout: "30min",
  // Every statement runs in its own backend, whose CPU the benchmark reads (parallel workers' would be missed).
  max_parallel_workers_per_gather: "0",
};

export interface BulkPostgres {
  description: string;
  /** A fresh database, dropped by `drop()`. */
  createDatabase(): Promise<{ url: string; drop(): Promise<void> }>;
  stop(): Promise<void>;
}

/**
 * The server BENCH_DATABASE_ADMIN_URL names (its settings as they are), else an embedded one in
 * .cache/postgres-bench-bulk on port BENCH_BULK_POSTGRES_PORT (default 54333) with `bulkSettings`.
 */
export async function bulkPostgres(
  env: Record<string, string | undefined> = process.env,
): Promise<BulkPostgres> {
  if (env.BENCH_DATABASE_ADMIN_URL)
    return around(env.BENCH_DATABASE_ADMIN_URL, "BENCH_DATABASE_ADMIN_URL", async () => {});
  const { adminUrl, server } = await startEmbeddedPostgres({
    dataDir: cachePath("postgres-bench-bulk"),
    port: integer(env, "BENCH_BULK_POSTGRES_PORT", 54333),
    settings: bulkSettings,
  });
  const settings = Object.entries(bulkSettings).map(([name, value]) => `${name}=${value}`);
  return around(adminUrl, `embedded PostgreSQL 17, ${settings.join(", ")}`, () => server.stop());
}

function around(adminUrl: string, description: string, stop: () => Promise<void>): BulkPostgres {
  return {
    description,
    async createDatabase() {
      const name = `bench_bulk_${randomBytes(4).toString("hex")}`;
      await withClient(adminUrl, (client) =>
        client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`),
      );
      const drop = async () => {
        await withClient(adminUrl, (client) =>
          client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)} WITH (FORCE)`),
        );
      };
      return { url: databaseUrl(adminUrl, name), drop };
    },
    stop,
  };
}
