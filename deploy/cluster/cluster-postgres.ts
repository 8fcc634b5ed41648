import { join } from "node:path";
import { migrateWriteDatabase } from "@conveyor/command-service";
import { migrateReadDatabase } from "@conveyor/query-service";
import { startEmbeddedPostgres } from "../local/embedded-postgres.ts";
import type { PostgresDatabases } from "../local/postgres.ts";
import { databaseUrl, ensureDatabase } from "../local/postgres.ts";
import { freePort } from "../local/ports.ts";

export interface ClusterPostgresOptions {
  /** Holds the data folder. */
  dir: string;
  /** Extra `postgres` settings, e.g. { fsync: "off" } for throwaway test data. */
  settings?: Record<string, string>;
  onLine?: (line: string) => void;
}

/**
 * One embedded PostgreSQL server on a free port holding the write and the read database, both migrated.
 * (In production they are separate servers sized apart; see docs/capacity.md.)
 */
export async function startClusterPostgres(options: ClusterPostgresOptions): Promise<PostgresDatabases> {
  const { adminUrl, server } = await startEmbeddedPostgres({
    dataDir: join(options.dir, "postgres"),
    port: await freePort(),
    // Five service processes, each with its pools, the relay's connection and the exports' own.
    settings: { max_connections: "300", ...options.settings },
    onLine: options.onLine,
  });
  const writeUrl = databaseUrl(adminUrl, "conveyor_write");
  const readUrl = databaseUrl(adminUrl, "conveyor_read");
  try {
    await Promise.all([ensureDatabase(writeUrl), ensureDatabase(readUrl)]);
    await Promise.all([migrateWriteDatabase(writeUrl), migrateReadDatabase(readUrl)]);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return { writeUrl, readUrl, adminUrl, server, stop: () => server.stop() };
}
