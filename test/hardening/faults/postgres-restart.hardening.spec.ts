import { CommandService } from "@conveyor/proto/conveyor/command/v1/command_service_pb";
import { QueryService } from "@conveyor/proto/conveyor/query/v1/query_service_pb";
import { collect, createGrpcJsClient, type GrpcJsClient } from "@conveyor/runtime/testing";
import { status, type ServiceError } from "@grpc/grpc-js";
import { v7 as uuidv7 } from "uuid";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withClient } from "../../../deploy/local/postgres.ts";
import { waitFor } from "../../harness/wait-for.ts";
import { startLoad } from "../../scale/load.ts";
import { hardeningScale, reportFigures } from "../figures.ts";
import { sessionStates } from "./backends.ts";
import { awaitConvergence, converged, zeroFaults } from "./convergence.ts";
import { startFaultStack, type FaultStack, type ServiceProcess } from "./fault-stack.ts";
import { afterMoreBatches, runLoad, unconfirmedVersions } from "./load-phases.ts";
import { startRestartablePostgres, type RestartablePostgres } from "./restartable-postgres.ts";
import { createTimeline } from "./timeline.ts";

const full = hardeningScale() === "full";
const batchesPerPhase = full ? 100 : 10;
// More rows than the flow-control windows between server and client hold: with the client paused, the
// export is still reading from the database when it restarts.
const exportTasks = full ? 60_000 : 25_000;
const chunkSize = 50;
const note = createTimeline("PostgreSQL restart");

describe("fault: PostgreSQL restarts while the services idle and during an export", () => {
  let postgres: RestartablePostgres;
  let stack: FaultStack;
  let services: ServiceProcess[];
  const restarted = { count: 0 };

  const restart = async () => {
    await postgres.stop();
    await postgres.start();
    restarted.count += 1;
  };

  beforeAll(async () => {
    // A server of this test's own: the run's shared one serves other suites.
    postgres = await startRestartablePostgres("restart");
    stack = await startFaultStack({ label: "postgres-restart", databaseAdminUrl: postgres.adminUrl });
    services = await Promise.all([stack.startCommand(), stack.startQuery()]);
    note("PostgreSQL and services started");
  });

  afterAll(async () => {
    await stack?.stop();
    await postgres?.remove();
  });

  it("survives a restart while idle: writes, relay and projection carry on", async () => {
    const [command] = services;
    const before = startLoad({ targets: [command!.address], workers: 2, token: stack.auth.token });
    const first = await runLoad(before, () => afterMoreBatches(before, batchesPerPhase, "before"));
    expect(zeroFaults(await awaitConvergence(stack))).toEqual(converged);

    await restart();
    note("restarted while idle");
    for (const service of services) expect(service.server.isRunning()).toBe(true);
    // The load retries what the restart refused (UNAVAILABLE) with the same request id.
    const after = startLoad({ targets: [command!.address], workers: 2, token: stack.auth.token });
    const second = await runLoad(after, () => afterMoreBatches(after, batchesPerPhase, "after"));
    for (const report of [first, second]) {
      expect(report.failures).toEqual([]);
      expect(await unconfirmedVersions(stack.writeUrl, report)).toEqual([]);
    }
    const convergence = await awaitConvergence(stack);
    expect(zeroFaults(convergence)).toEqual(converged);
    reportFigures("faults: PostgreSQL restart while idle", {
      faults: 1,
      commands: first.commands + second.commands,
      "retries after the restart": second.retries,
      events: convergence.kafka.events,
      "rows verified": convergence.rowsVerified,
      lost: convergence.lostEvents.length,
      "applied twice": convergence.differences.length + convergence.versionMismatches.length,
    });
  });

  it("fails the export in flight with UNAVAILABLE; its cursor resumes it after the restart", async () => {
    const [command, query] = services;
    const commands = createGrpcJsClient(
      CommandService,
      command!.address,
      undefined,
      stack.auth.grpcJsOptions,
    );
    const queries = createGrpcJsClient(QueryService, query!.address, undefined, stack.auth.grpcJsOptions);
    try {
      await createTasks(commands, exportTasks);
      expect(zeroFaults(await awaitConvergence(stack))).toEqual(converged);
      const expected = await taskIds(stack.readUrl);
      note(`${expected.length} tasks to export`);

      // The client takes one message and pauses; the server fills the flow-control windows and then waits
      // for the client with its export transaction still open.
      const stream = queries.exportTasks({ options: { chunkSize } });
      const chunks: TaskChunk[] = [];
      const ended = new Promise<ServiceError | undefined>((resolve) => {
        stream.on("end", () => resolve(undefined)).on("error", (error) => resolve(error as ServiceError));
      });
      await new Promise<void>((resolve) =>
        stream.on("data", (chunk: TaskChunk) => {
          if (chunks.push(chunk) > 1) return;
          stream.pause();
          resolve();
        }),
      );
      await waitFor(() => insideExport(stack.readUrl), {
        timeoutMs: 60_000,
        description: "the export to wait for the paused client",
      });
      await restart();
      note("restarted during the export");
      stream.resume();
      const failure = await ended;
      const received = chunks.flatMap((chunk) => chunk.rows.map((row) => row.taskId));
      const cursor = chunks.at(-1)!.progress!.cursor;
      expect(failure?.code, `the export ended with ${failure?.message ?? "no error"}`).toBe(
        status.UNAVAILABLE,
      );
      for (const service of services) expect(service.server.isRunning()).toBe(true);

      // The client resumes right after the last message it got, retrying while the pool reconnects.
      const rest = await waitFor(
        () =>
          collectTasks(queries, cursor).catch((error: ServiceError) => {
            if (error.code !== status.UNAVAILABLE) throw error;
            return undefined;
          }),
        { timeoutMs: 60_000, description: "the export to resume after the restart" },
      );
      const resumed = [...received, ...rest.flatMap((chunk) => chunk.rows.map((row) => row.taskId))];
      expect(new Set(resumed).size).toBe(resumed.length);
      expect(resumed.sort()).toEqual(expected);
      reportFigures("faults: PostgreSQL restart during an export", {
        faults: 1,
        "rows before the failure": received.length,
        "rows after resuming": resumed.length - received.length,
        "export error": status[failure!.code],
        "rows missing or doubled": expected.length - new Set(resumed).size,
      });
    } finally {
      commands.close();
      queries.close();
    }
  });
});

/** True while an export session of the read database is inside its transaction. */
async function insideExport(readUrl: string): Promise<boolean> {
  const states = await sessionStates(readUrl, "conveyor-query-export");
  return (states.active ?? 0) + (states["idle in transaction"] ?? 0) > 0;
}

type TaskChunk = Awaited<ReturnType<typeof collectTasks>>[number];

function collectTasks(queries: GrpcJsClient<typeof QueryService>, cursor: string) {
  return collect(queries.exportTasks({ options: { chunkSize: 500, cursor } }));
}

async function createTasks(commands: GrpcJsClient<typeof CommandService>, count: number): Promise<void> {
  for (let made = 0; made < count; made += 1000) {
    const batch = Array.from({ length: Math.min(1000, count - made) }, (_, i) => ({
      aggregateId: uuidv7(),
      command: {
        case: "createTask" as const,
        value: { title: `Export ${made + i}`, month: 1 + ((made + i) % 12), category: "faults" },
      },
    }));
    const response = await commands.batchExecute({ requestId: uuidv7(), commands: batch });
    expect(response.results.every((result) => result.success)).toBe(true);
  }
}

async function taskIds(readUrl: string): Promise<string[]> {
  return withClient(readUrl, async (db) => {
    const { rows } = await db.query<{ id: string }>("SELECT task_id::text AS id FROM read_tasks");
    return rows.map((row) => row.id).sort();
  });
}
