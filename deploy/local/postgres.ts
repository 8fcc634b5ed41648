import pg from "pg";
import { integer } from "@conveyor/runtime";
import { startEmbeddedPostgres } from "./embedded-postgres.ts";
import type { ManagedProcess } from "./managed-process.ts";
import { cachePath } from "./paths.ts";

type Env = Record<string, string | undefined>;

export interface PostgresDatabases {
  writeUrl: string;
  readUrl: string;
  /** Superuser URL of the write server's "postgres" database. */
  adminUrl: string;
  /** The embedded server, when we started it. */
  server?: ManagedProcess;
  stop: () => Promise<void>;
}

export interface PostgresOptions {
  onLine?: (line: string) => void;
}

/**
 * The write and read databases: those that WRITE_DATABASE_URL and READ_DATABASE_URL name (created if
 * missing), else conveyor_write and conveyor_read on an embedded server with its data in .cache/postgres,
 * on port POSTGRES_PORT (default 54329).
 */
export async function provisionPostgres(env: Env, options: PostgresOptions = {}): Promise<PostgresDatabases> {
  if (env.WRITE_DATABASE_URL && env.READ_DATABASE_URL) {
    const [writeUrl, readUrl] = [env.WRITE_DATABASE_URL, env.READ_DATABASE_URL];
    await Promise.all([ensureDatabase(writeUrl), ensureDatabase(readUrl)]);
    return { writeUrl, readUrl, adminUrl: adminUrlOf(writeUrl), stop: () => Promise.resolve() };
  }
  const { adminUrl, server } = await startEmbeddedPostgres({
    dataDir: cachePath("postgres"),
    port: integer(env, "POSTGRES_PORT", 54329),
    onLine: options.onLine,
  });
  const databases = {
    writeUrl: databaseUrl(adminUrl, "conveyor_write"),
    readUrl: databaseUrl(adminUrl, "conveyor_read"),
  };
  try {
    await Promise.all([ensureDatabase(databases.writeUrl), ensureDatabase(databases.readUrl)]);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return { ...databases, adminUrl, server, stop: () => server.stop() };
}

/** Creates the database a URL names, through the same server's "postgres" database, unless it exists. */
export async function ensureDatabase(url: string): Promise<void> {
  const name = databaseName(url);
  await withClient(adminUrlOf(url), async (client) => {
    const found = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
  });
}

/** Runs `work` with a connected client, closing it afterwards. */
export async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** The same server and credentials, another database. */
export function databaseUrl(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

function adminUrlOf(url: string): string {
  return databaseUrl(url, "postgres");
}

function databaseName(url: string): string {
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  if (!name) throw new Error(`no database name in ${new URL(url).origin}`);
  return name;
}
