import { execFile } from "node:child_process";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { startEmbeddedPostgres, type EmbeddedPostgres } from "../../../deploy/local/embedded-postgres.ts";
import { freePort } from "../../../deploy/local/ports.ts";
import { postgresTemplate } from "../../harness/test-servers.ts";
import { faultDir } from "./fault-dir.ts";

const run = promisify(execFile);

/** A PostgreSQL server of a fault test's own, which the test may stop and start again. */
export interface RestartablePostgres {
  /** Superuser URL of its "postgres" database; the same across restarts. */
  adminUrl: string;
  isRunning(): boolean;
  /** A fast shutdown (SIGINT): open sessions are ended, as when an operator restarts the server. */
  stop(): Promise<void>;
  /** Starts it again on the same port and data and resolves once it accepts connections. */
  start(): Promise<void>;
  /** Stops it and removes its data. */
  remove(): Promise<void>;
}

/**
 * Starts a PostgreSQL server apart from the test run's shared one (which other suites use, so a test
 * must never restart it), on a free port, from a copy of the harness's initialised template.
 */
export async function startRestartablePostgres(label: string): Promise<RestartablePostgres> {
  const dir = await faultDir(`postgres-${label}`);
  const dataDir = join(dir, "data");
  await run("cp", ["-a", await postgresTemplate(), dataDir]); // keeps the postgres user's ownership and 0700
  const port = await freePort();
  const launch = () =>
    startEmbeddedPostgres({
      dataDir,
      port,
      // Throwaway data. A fast shutdown still checkpoints, so nothing is lost across a restart.
      settings: { fsync: "off", synchronous_commit: "off", full_page_writes: "off", max_connections: "200" },
    });
  let postgres: EmbeddedPostgres | undefined = await launch();
  const adminUrl = postgres.adminUrl;
  return {
    adminUrl,
    isRunning: () => postgres?.server.isRunning() ?? false,
    async stop() {
      await postgres?.server.stop();
      postgres = undefined;
    },
    async start() {
      postgres ??= await launch();
    },
    async remove() {
      await postgres?.server.stop();
      postgres = undefined;
      await rm(dir, { recursive: true, force: true });
    },
  };
}
