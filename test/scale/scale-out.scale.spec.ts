import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { QueryService } from "@conveyor/proto/conveyor/query/v1/query_service_pb";
import { bearerClientOptions, collect, createGrpcJsClient } from "@conveyor/runtime/testing";
import { eventTopics } from "@conveyor/messaging";
import { startCluster, type Cluster } from "../../deploy/cluster/cluster.ts";
import { killProcess } from "../../deploy/cluster/kill-process.ts";
import { cachePath } from "../../deploy/local/paths.ts";
import {
  loggedRelayLeaders,
  relayLeaderMessage,
  relayLockHolders,
} from "../../deploy/cluster/relay-leadership.ts";
import { withClient } from "../../deploy/local/postgres.ts";
import { waitFor } from "../harness/wait-for.ts";
import { busiestNode, deadLetters, eventHistory, groupMembers, partitionStates } from "./kafka-checks.ts";
import { startLoad, type Load } from "./load.ts";
import { createLogFiles } from "./log-files.ts";
import { expectedRows, exportedRows, modelVersions } from "./model-rows.ts";

const workers = 4;
const batchesPerPhase = 60;
const logs = createLogFiles(cachePath("scale-test"));
const elapsed = (since: number) => `${((performance.now() - since) / 1000).toFixed(1)} s`;
const note = (message: string) => console.log(`[scale] ${message}`);

describe(`scale-out (process logs in ${logs.dir})`, () => {
  let cluster: Cluster;

  beforeAll(async () => {
    const started = performance.now();
    cluster = await startCluster({
      // Throwaway data; what this test kills is Kafka and the services, never PostgreSQL.
      postgresSettings: { fsync: "off", synchronous_commit: "off", full_page_writes: "off" },
      onLine: (source, line) => logs.write(source, line),
    });
    note(`cluster started in ${elapsed(started)}`);
  });

  afterAll(async () => {
    await cluster?.stop();
    await logs.close();
  });

  it("replicates every topic to the three brokers, one relay leads, three projectors share the group", async () => {
    const states = await partitionStates(cluster.kafka, [
      ...eventTopics(cluster.topics),
      cluster.topics.watermarks,
    ]);
    expect(states).toHaveLength(3 * cluster.partitions + 1);
    for (const state of states) expect(state.replicas).toHaveLength(3);
    await waitFor(() => loggedRelayLeaders(cluster.commands).length === 1, { description: "a relay leader" });
    expect(await relayLockHolders(cluster.postgres.writeUrl)).toBe(1);
    const groupId = `${cluster.topicPrefix}.query-service.projector`;
    await waitFor(async () => (await groupMembers(cluster.kafka, groupId)) === 3, {
      timeoutMs: 60_000,
      description: "three members in the projector group",
    });
  });

  it("loses and doubles nothing while a broker, a projector and the relay leader are SIGKILLed under load", async () => {
    const started = performance.now();
    const load = startLoad({
      targets: cluster.commands.map((instance) => instance.address),
      workers,
      token: cluster.token,
    });
    const phase = (name: string) => afterMoreBatches(load, batchesPerPhase, name);
    try {
      await phase("load before any kill");
      const broker = await busiestNode(cluster.kafka, eventTopics(cluster.topics));
      note(`killing kafka-${broker.nodeId} (${await killProcess(broker.server)}) after ${elapsed(started)}`);
      await phase(`load with kafka-${broker.nodeId} dead`);
      const projector = cluster.queries[0]!;
      note(`killing ${projector.name} (${await killProcess(projector.server)}) after ${elapsed(started)}`);
      await phase(`load with ${projector.name} dead`);
      const [leader] = loggedRelayLeaders(cluster.commands);
      const standby = cluster.commands.find((instance) => instance !== leader)!;
      const killedAt = performance.now();
      note(
        `killing relay leader ${leader!.name} (${await killProcess(leader!.server)}) after ${elapsed(started)}`,
      );
      await waitFor(() => standby.hasLogged(relayLeaderMessage), {
        description: `${standby.name} to take the relay lead`,
      });
      note(`${standby.name} took the relay lead ${elapsed(killedAt)} after the kill`);
      expect(await relayLockHolders(cluster.postgres.writeUrl)).toBe(1);
      await phase(`load with ${leader!.name} dead`);
    } finally {
      const report = await load.stop();
      note(
        `load: ${load.confirmedBatches()} batches, ${report.commands} commands in ${elapsed(started)}; ` +
          `${report.retries} retries, ${report.abandoned.length} abandoned, per instance ${JSON.stringify([...report.confirmed])}`,
      );
      lastReport = report;
    }
    expect(lastReport.failures).toEqual([]);
    // Only batches in flight on the killed command-service instance can be in doubt.
    expect(lastReport.abandoned.length).toBeLessThanOrEqual(workers);
  });

  it("converges: the read model and every export equal the write model, versions equal commands applied", async () => {
    const report = lastReport;
    const started = performance.now();
    const survivors = cluster.queries.filter((instance) => instance.server.isRunning());
    const queries = createGrpcJsClient(
      QueryService,
      survivors[0]!.address,
      undefined,
      bearerClientOptions(cluster.token),
    );
    try {
      // The export waits (up to the server's limit, then UNAVAILABLE) for the read model to reach the token.
      await waitFor(
        async () => {
          const chunks = await collect(
            queries.exportTasks({
              filter: { month: 1 },
              options: { consistencyToken: report.lastConsistencyToken },
            }),
          );
          return chunks.length > 0;
        },
        {
          timeoutMs: 300_000,
          intervalMs: 1000,
          description: "the read model to reach the last batch's token",
        },
      );
    } finally {
      queries.close();
    }
    note(`read model reached the last token ${elapsed(started)} after the load stopped`);

    const letters = await deadLetters(cluster.kafka, cluster.topics.deadLetter);
    const history = await eventHistory(
      cluster.kafka,
      eventTopics(cluster.topics),
      new Set(letters.map((letter) => letter.key)),
    );
    expect({ letters, history }).toEqual({ letters: [], history: [] });
    const writeVersions = await modelVersions(cluster.postgres.writeUrl, "write");
    const unexpected = [...report.expectedVersions].filter(
      ([id, version]) => writeVersions.get(id) !== version,
    );
    expect(unexpected).toEqual([]);
    expect(writeVersions.size).toBe(
      report.expectedVersions.size + countExisting(report.inDoubt, writeVersions),
    );
    expect(await modelVersions(cluster.postgres.readUrl, "read")).toEqual(writeVersions);

    const expected = await expectedRows(cluster.postgres.writeUrl);
    for (const survivor of survivors)
      expect(await exportedRows(survivor.address, cluster.token)).toEqual(expected);
    note(`${writeVersions.size} aggregates compared on ${survivors.length} surviving query instances`);

    expect(await outboxBacklog(cluster.postgres.writeUrl)).toBe(0);
    const groupId = `${cluster.topicPrefix}.query-service.projector`;
    expect(await groupMembers(cluster.kafka, groupId)).toBe(survivors.length);
  });

  it("resumes an export on another instance with the cursor of the first (one cursor key for all)", async () => {
    const [first, second] = cluster.queries.filter((instance) => instance.server.isRunning());
    const [a, b] = [
      createGrpcJsClient(QueryService, first!.address, undefined, bearerClientOptions(cluster.token)),
      createGrpcJsClient(QueryService, second!.address, undefined, bearerClientOptions(cluster.token)),
    ];
    try {
      const options = { chunkSize: 100 };
      const chunks = await collect(a.exportTasks({ options }));
      const whole = chunks.flatMap((chunk) => chunk.rows.map((row) => row.taskId));
      const rest = await collect(
        b.exportTasks({ options: { ...options, cursor: chunks[0]!.progress!.cursor } }),
      );
      const resumed = [...chunks[0]!.rows, ...rest.flatMap((chunk) => chunk.rows)].map((row) => row.taskId);
      expect(whole.length).toBeGreaterThan(100);
      expect(resumed).toEqual(whole);
    } finally {
      a.close();
      b.close();
    }
  });
});

let lastReport: Awaited<ReturnType<Load["stop"]>>;

async function afterMoreBatches(load: Load, count: number, phase: string): Promise<void> {
  const target = load.confirmedBatches() + count;
  await waitFor(() => load.confirmedBatches() >= target, {
    timeoutMs: 240_000,
    intervalMs: 200,
    description: () =>
      `${count} more confirmed batches (${phase}), have ${load.confirmedBatches()} of ${target}`,
  });
  note(`${phase}: ${load.confirmedBatches()} batches confirmed`);
}

function countExisting(ids: string[], versions: Map<string, bigint>): number {
  return ids.filter((id) => versions.has(id)).length;
}

async function outboxBacklog(writeUrl: string): Promise<number> {
  return withClient(writeUrl, async (db) => {
    const { rows } = await db.query<{ rows: number }>("SELECT count(*)::int AS rows FROM outbox");
    return rows[0]!.rows;
  });
}
