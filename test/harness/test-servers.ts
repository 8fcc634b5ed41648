import { execFile } from "node:child_process";
import { mkdir, readdir, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import {
  initialiseDataDir,
  isInitialised,
  startEmbeddedPostgres,
} from "../../deploy/local/embedded-postgres.ts";
import { startKafkaBroker } from "../../deploy/local/kafka.ts";
import { cachePath } from "../../deploy/local/paths.ts";
import { freePort } from "../../deploy/local/ports.ts";

const run = promisify(execFile);

/** A server this test run started, and how to stop it and remove its files. */
export interface TestServer<T> {
  value: T;
  stop: () => Promise<void>;
}

/**
 * This run's own PostgreSQL, on `port` (0: a free one), in .cache/postgres-test/run-<pid>: a copy of a
 * cluster initialised once, so concurrent runs (several engineers, one tree) never share a server.
 */
export async function startTestPostgres(port: number): Promise<TestServer<string>> {
  const template = await postgresTemplate();
  const dataDir = await runDir("postgres-test");
  await run("cp", ["-a", template, dataDir]); // -a keeps the postgres user's ownership and 0700 mode
  const { adminUrl, server } = await startEmbeddedPostgres({
    dataDir,
    port: port || (await freePort()),
    // Throwaway data: without durability, CREATE DATABASE and commits are much faster.
    settings: { fsync: "off", synchronous_commit: "off", full_page_writes: "off", max_connections: "300" },
  });
  return {
    value: adminUrl,
    stop: () => server.stop().then(() => rm(dataDir, { recursive: true, force: true })),
  };
}

/** This run's own Kafka broker, on `port` (0: a free one), with empty storage in .cache/kafka-test/run-<pid>. */
export async function startTestKafka(port: number): Promise<TestServer<string[]>> {
  const dir = await runDir("kafka-test");
  const [brokerPort, controllerPort] = [port || (await freePort()), await freePort()];
  const broker = await startKafkaBroker({ dir, port: brokerPort, controllerPort });
  return {
    value: broker.brokers,
    stop: () => broker.stop().then(() => rm(dir, { recursive: true, force: true })),
  };
}

/** An initialised PostgreSQL data folder to copy (`cp -a`) for a server of one's own; made once per machine. */
export async function postgresTemplate(): Promise<string> {
  const template = cachePath("postgres-test", "template");
  if (await isInitialised(template)) return template;
  const staging = `${template}.${process.pid}`;
  await initialiseDataDir(staging);
  // Losing a race with another run leaves its template in place, which is just as good.
  await rename(staging, template).catch(() => rm(staging, { recursive: true, force: true }));
  return template;
}

/** A fresh folder path for this run under .cache/<parent>, after removing those of runs that have ended. */
async function runDir(parent: string): Promise<string> {
  const parentDir = cachePath(parent);
  await mkdir(parentDir, { recursive: true });
  for (const entry of await readdir(parentDir)) {
    const pid = /^run-(\d+)$/.exec(entry)?.[1];
    if (pid && (pid === String(process.pid) || !isAlive(Number(pid)))) {
      await rm(join(parentDir, entry), { recursive: true, force: true });
    }
  }
  return join(parentDir, `run-${process.pid}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
