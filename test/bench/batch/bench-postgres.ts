import { databaseUrl, withClient } from "../../../deploy/local/postgres.ts";
import { startEmbeddedPostgres } from "../../../deploy/local/embedded-postgres.ts";
import { cachePath } from "../../../deploy/local/paths.ts";
import { integer } from "@conveyor/runtime";

export interface BenchPostgres {
  description: string;
  createDatabase(name: string): Promise<{ url: string; drop(): Promise<void> }>;
  stop(): Promise<void>;
}

/**
 * The server BENCH_DATABASE_ADMIN_URL names, else an embedded one (.cache/postgres-bench, port
 * BENCH_POSTGRES_PORT or 54331) with default durability except synchronous_commit=off.
 */
export async function benchPostgres(
  env: Record<string, string | undefined> = process.env,
): Promise<BenchPostgres> {
  if (env.BENCH_DATABASE_ADMIN_URL)
    return benchServer(env.BENCH_DATABASE_ADMIN_URL, "BENCH_DATABASE_ADMIN_URL", () => Promise.resolve());
  const { adminUrl, server } = await startEmbeddedPostgres({
    dataDir: cachePath("postgres-bench"),
    port: integer(env, "BENCH_POSTGRES_PORT", 54331),
    settings: { synchronous_commit: "off" },
  });
  return benchServer(adminUrl, "embedded PostgreSQL, synchronous_commit=off", () => server.stop());
}

/** A benchmark's server at `adminUrl`: databases created and dropped by name, `stop` to end it. */
export function benchServer(adminUrl: string, description: string, stop: () => Promise<void>): BenchPostgres {
  return {
    description,
    async createDatabase(name) {
      await withClient(adminUrl, (client) =>
        client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`),
      );
      const drop = () =>
        withClient(adminUrl, (client) =>
          client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)} WITH (FORCE)`),
        ).then(() => undefined);
      return { url: databaseUrl(adminUrl, name), drop };
    },
    stop,
  };
}
