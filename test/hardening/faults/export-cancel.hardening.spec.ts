import { QueryService } from "@conveyor/proto/conveyor/query/v1/query_service_pb";
import { collect, createGrpcJsClient, type GrpcJsClient } from "@conveyor/runtime/testing";
import { status, type ServiceError } from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withClient } from "../../../deploy/local/postgres.ts";
import { waitFor } from "../../harness/wait-for.ts";
import { startLoad } from "../../scale/load.ts";
import { hardeningScale, reportFigures } from "../figures.ts";
import { sessionStates } from "./backends.ts";
import { awaitConvergence, converged, zeroFaults } from "./convergence.ts";
import { startFaultStack, type FaultStack, type ServiceProcess } from "./fault-stack.ts";
import { afterMoreBatches, runLoad } from "./load-phases.ts";

const full = hardeningScale() === "full";
const seedBatches = full ? 100 : 15;
const cancels = full ? 400 : 40;
const concurrency = 3;
// Few slots: a stream that kept its slot (or connection) after a cancel would soon block every export.
const maxStreams = 4;
const exportApplication = "conveyor-query-export";

type Queries = GrpcJsClient<typeof QueryService>;
type Table = "users" | "orders" | "tasks";
const tables: Table[] = ["users", "orders", "tasks"];

describe("fault: clients cancel exports at random points", () => {
  let stack: FaultStack;
  let query: ServiceProcess;
  let queries: Queries;

  beforeAll(async () => {
    stack = await startFaultStack({ label: "export-cancel" });
    let command: ServiceProcess;
    [command, query] = await Promise.all([
      stack.startCommand(),
      stack.startQuery({ EXPORT_MAX_STREAMS: String(maxStreams) }),
    ]);
    const load = startLoad({ targets: [command.address], workers: 2, token: stack.auth.token });
    await runLoad(load, () => afterMoreBatches(load, seedBatches, "rows to export"));
    expect(zeroFaults(await awaitConvergence(stack))).toEqual(converged);
    queries = createGrpcJsClient(QueryService, query.address, undefined, stack.auth.grpcJsOptions);
  });

  afterAll(async () => {
    queries?.close();
    await stack?.stop();
  });

  it("releases every stream's connection and slot, and keeps serving complete exports", async () => {
    const outcomes = { cancelled: 0, completed: 0, refused: 0 };
    let next = 0;
    const client = async () => {
      while (next < cancels) {
        next += 1;
        outcomes[await cancelAtRandom(queries)] += 1;
      }
    };
    await Promise.all(Array.from({ length: concurrency }, client));

    // Cancelled streams end their queries: nothing left running or inside a transaction.
    let states: Record<string, number> = {};
    await waitFor(
      async () => {
        states = await sessionStates(stack.readUrl, exportApplication);
        return Object.keys(states).every((state) => state === "idle");
      },
      { timeoutMs: 60_000, description: () => `export sessions to go idle, have ${JSON.stringify(states)}` },
    );
    const sessions = Object.values(states).reduce((sum, count) => sum + count, 0);
    expect(sessions).toBeLessThanOrEqual(maxStreams + 2);

    // As many complete exports at once as there are slots: all run only if every cancel gave its slot back.
    const exports = 2 * maxStreams;
    for (let i = 0; i < exports; i += maxStreams) {
      const round = Array.from({ length: maxStreams }, (_, j) => tables[(i + j) % tables.length]!);
      const ids = await Promise.all(round.map((table) => exportedIds(queries, table)));
      for (const [j, table] of round.entries()) {
        expect(new Set(ids[j]).size).toBe(ids[j]!.length);
        expect(ids[j]!.length).toBe(await readRows(stack.readUrl, table));
      }
    }
    expect(query.server.isRunning()).toBe(true);
    expect(zeroFaults(await awaitConvergence(stack))).toEqual(converged);
    reportFigures("faults: exports cancelled at random points", {
      faults: outcomes.cancelled,
      "exports started": cancels,
      "finished before the cancel": outcomes.completed,
      "refused (all slots busy)": outcomes.refused,
      "export sessions left": sessions,
      "complete exports after": exports,
    });
  });
});

/**
 * Starts an export of a random table in small chunks and cancels it after a random number of messages
 * (none: right after the call starts) or after a random pause.
 */
async function cancelAtRandom(queries: Queries): Promise<"cancelled" | "completed" | "refused"> {
  const stream = startExport(queries, pick(tables), { chunkSize: 1 + randomInt(10) });
  const afterMessages = randomInt(12);
  const pauseMs = Math.random() < 0.3 ? randomInt(50) : undefined;
  if (pauseMs !== undefined) setTimeout(() => stream.cancel(), pauseMs);
  else if (afterMessages === 0) stream.cancel();
  const messages = stream[Symbol.asyncIterator]();
  try {
    for (let received = 1; !(await messages.next()).done; received += 1) {
      if (pauseMs === undefined && received >= afterMessages) {
        stream.cancel();
        return "cancelled";
      }
    }
    return "completed";
  } catch (error) {
    const { code } = error as ServiceError;
    if (code === status.CANCELLED) return "cancelled";
    // Every slot busy for a moment: the server frees a cancelled stream's slot once it notices.
    if (code === status.RESOURCE_EXHAUSTED) return "refused";
    throw error;
  }
}

const randomInt = (below: number) => Math.floor(Math.random() * below);
const pick = <T>(items: T[]): T => items[randomInt(items.length)]!;

function startExport(queries: Queries, table: Table, options: { chunkSize: number }) {
  if (table === "users") return queries.exportUsers({ options });
  if (table === "orders") return queries.exportOrders({ options });
  return queries.exportTasks({ options });
}

async function exportedIds(queries: Queries, table: Table): Promise<string[]> {
  const options = { chunkSize: 50 };
  if (table === "users")
    return (await collect(queries.exportUsers({ options }))).flatMap((c) => c.rows.map((r) => r.userId));
  if (table === "orders")
    return (await collect(queries.exportOrders({ options }))).flatMap((c) => c.rows.map((r) => r.orderId));
  return (await collect(queries.exportTasks({ options }))).flatMap((c) => c.rows.map((r) => r.taskId));
}

async function readRows(readUrl: string, table: Table): Promise<number> {
  return withClient(readUrl, async (db) => {
    const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM read_${table}`);
    return rows[0]!.n;
  });
}
