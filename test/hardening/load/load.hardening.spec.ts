import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventTopics } from "@conveyor/messaging";
import { verifyReadModel } from "../../../query-service/src/projection/verify/verify-read-model.ts";
import { withClient } from "../../../deploy/local/postgres.ts";
import { startStack, type Stack } from "../../harness/stack.ts";
import { waitFor } from "../../harness/wait-for.ts";
import { modelVersions } from "../../scale/model-rows.ts";
import { hardeningScale, reportFigures } from "../figures.ts";
import { hardeningSeed, Prng } from "../fuzz/prng.ts";
import { AggregatePool } from "./aggregate-pool.ts";
import { messagesIn, readEventLog } from "./event-log.ts";
import { judgeLoad } from "./load-checks.ts";
import { LoadClient } from "./load-client.ts";
import { LoadLedger } from "./load-ledger.ts";
import { seedBatches } from "./load-requests.ts";

// N clients, each on its own connection, send batches and bulk updates over one shared set of aggregates
// for a bounded time: overlapping groups, expected versions that are fresh, stale or wrong, dependent
// commands, all-or-nothing batches, streamed batches. Then the answers are held against what was written.
const full = hardeningScale() === "full";
const seconds = Number(process.env.HARDENING_LOAD_SECONDS ?? (full ? 180 : 15));
const clients = Number(process.env.HARDENING_LOAD_CLIENTS ?? (full ? 16 : 8));
const seed = hardeningSeed();

describe(`load: ${clients} clients for ${seconds} s (seed ${seed})`, () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack("load");
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it("keeps every version equal to the events applied, drains the outbox and converges the read model", async () => {
    console.log(`[load] seed ${seed} (HARDENING_SEED=${seed} repeats this run's requests)`);
    const prng = new Prng(seed);
    const pool = new AggregatePool();
    const ledger = new LoadLedger();
    const address = `127.0.0.1:${stack.commandPort}`;
    const client = (random: Prng) =>
      new LoadClient({ address, pool, ledger, prng: random, metadata: stack.metadata, bulkShare: 0.15 });

    const seeder = client(prng.fork());
    for (const plan of seedBatches(full ? 60 : 30, 2, full ? 120 : 60, prng)) await seeder.batch(plan);
    seeder.close();
    expect(ledger.errors).toEqual([]);
    expect(pool.size()).toBeGreaterThan(0);

    const started = performance.now();
    const until = started + seconds * 1000;
    await Promise.all(Array.from({ length: clients }, () => client(prng.fork()).run(until)));
    const loadSeconds = (performance.now() - started) / 1000;

    await waitFor(() => outboxBacklog(stack.writeDatabaseUrl).then((rows) => rows === 0), {
      timeoutMs: 180_000,
      description: "the outbox to drain",
    });
    const log = await readEventLog(eventTopics(stack.topics));
    const writeVersions = await modelVersions(stack.writeDatabaseUrl, "write");
    const verdict = judgeLoad(ledger.outcomes, log, writeVersions);

    let differences = -1;
    await waitFor(
      async () => {
        differences = await readModelDifferences(stack);
        return differences === 0;
      },
      {
        timeoutMs: 180_000,
        intervalMs: 1000,
        description: () => `the read model to converge (${differences} differences)`,
      },
    );
    const readVersions = await modelVersions(stack.readDatabaseUrl, "read");
    const deadLetters = await messagesIn([stack.topics.deadLetter]);

    const { figures } = ledger;
    reportFigures("load", {
      seed,
      clients,
      seconds: Math.round(loadSeconds),
      sent: figures.commandsSent + figures.bulkUpdates,
      batches: figures.batches,
      commandsSent: figures.commandsSent,
      succeeded: figures.commandsSucceeded,
      withoutEvent: figures.commandsWithoutEvent,
      conflicted: figures.commandsConflicted,
      rejected: figures.commandsRejected,
      bulkUpdates: figures.bulkUpdates,
      bulkRowsUpdated: figures.bulkRowsUpdated,
      bulkRejected: figures.bulkRejected,
      retries: figures.retries,
      internalErrors: figures.internalErrors,
      aggregates: verdict.aggregates,
      events: sumVersions(writeVersions),
      redelivered: log.redelivered,
      commandsPerSecond: Math.round(figures.commandsSent / loadSeconds),
      lost: verdict.lost,
      phantom: verdict.phantom,
    });

    expect(verdict.problems).toEqual([]);
    expect(verdict.lost).toBe(0);
    expect(verdict.phantom).toBe(0);
    expect(verdict.versionMismatches).toBe(0);
    expect(log.clashes).toEqual([]);
    expect(ledger.errors).toEqual([]);
    expect(figures.internalErrors).toBe(0);
    expect(readVersions).toEqual(writeVersions);
    expect(deadLetters).toBe(0);
    // The load did what it is for: conflicts happened, and so did successes and bulk changes.
    expect(figures.commandsConflicted).toBeGreaterThan(0);
    expect(figures.commandsSucceeded).toBeGreaterThan(0);
    expect(figures.bulkRowsUpdated).toBeGreaterThan(0);
  });
});

function outboxBacklog(writeDatabaseUrl: string): Promise<number> {
  return withClient(writeDatabaseUrl, async (db) => {
    const { rows } = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM outbox");
    return rows[0]!.n;
  });
}

async function readModelDifferences(stack: Stack): Promise<number> {
  const summary = await verifyReadModel({
    writeDatabaseUrl: stack.writeDatabaseUrl,
    readDatabaseUrl: stack.readDatabaseUrl,
    onDifference: () => undefined,
  });
  return summary.differences;
}

function sumVersions(versions: Map<string, bigint>): number {
  let total = 0n;
  for (const version of versions.values()) total += version;
  return Number(total);
}
