import { eventTopics } from "@conveyor/messaging";
import { verifyReadModel, type RowDifference } from "@conveyor/query-service/verify";
import { withClient } from "../../../deploy/local/postgres.ts";
import { waitFor } from "../../harness/wait-for.ts";
import { modelVersions } from "../../scale/model-rows.ts";
import { endOffsets, readEventLog, withAdmin, type EventLog } from "./event-log.ts";
import type { FaultStack } from "./fault-stack.ts";

/** How the system ended up after a fault: every figure that must be zero, and what was checked. */
export interface Convergence {
  /** Rows `conveyor verify` compared (all three read tables). */
  rowsVerified: number;
  /** `conveyor verify`'s differences between the read model and the rows recomputed from the write model. */
  differences: RowDifference[];
  /** Aggregates whose read-model version differs from the write model's (missing or extra included). */
  versionMismatches: string[];
  /** Events of the write model missing from Kafka: versions 1..v of every aggregate must be on a topic. */
  lostEvents: string[];
  /** Messages on the dead-letter topic. */
  deadLetters: number;
  /** Aggregates in the write model. */
  aggregates: number;
  kafka: EventLog;
}

/**
 * Waits until the relay has published the whole outbox and the projector has applied every partition up
 * to its end, then compares: the read model with `conveyor verify`'s expectation, read and write versions,
 * and the write model with the events on Kafka.
 */
export async function awaitConvergence(stack: FaultStack, timeoutMs = 180_000): Promise<Convergence> {
  await waitFor(async () => (await outboxRows(stack.writeUrl)) === 0, {
    timeoutMs,
    intervalMs: 250,
    description: "the relay to publish the whole outbox",
  });
  const topics = eventTopics(stack.topics);
  const ends = await withAdmin(stack.brokers, (admin) => endOffsets(admin, topics));
  let lagging: string[] = [];
  await waitFor(async () => (lagging = await behind(stack.readUrl, ends)).length === 0, {
    timeoutMs,
    intervalMs: 250,
    description: () => `the projector to reach the end of every partition; behind: ${lagging.join(", ")}`,
  });
  const differences: RowDifference[] = [];
  const summary = await verifyReadModel({
    writeDatabaseUrl: stack.writeUrl,
    readDatabaseUrl: stack.readUrl,
    onDifference: (difference) => differences.length < 20 && differences.push(difference),
  });
  const [write, read] = await Promise.all([
    modelVersions(stack.writeUrl, "write"),
    modelVersions(stack.readUrl, "read"),
  ]);
  const kafka = await readEventLog(stack.brokers, topics);
  return {
    rowsVerified: Object.values(summary.rows).reduce((sum, rows) => sum + rows, 0),
    differences,
    versionMismatches: mismatches(write, read),
    lostEvents: missingEvents(write, kafka),
    deadLetters: await withAdmin(stack.brokers, async (admin) => {
      const offsets = await endOffsets(admin, [stack.topics.deadLetter]);
      return Number([...offsets.values()].reduce((sum, end) => sum + end, 0n));
    }),
    aggregates: write.size,
    kafka,
  };
}

/** What a converged system shows: to compare with `toEqual`, so a failure prints what is wrong. */
export function zeroFaults(convergence: Convergence) {
  const { differences, versionMismatches, lostEvents, deadLetters } = convergence;
  return { differences, versionMismatches, lostEvents, deadLetters };
}

export const converged = { differences: [], versionMismatches: [], lostEvents: [], deadLetters: 0 };

async function outboxRows(writeUrl: string): Promise<number> {
  return withClient(writeUrl, async (db) => {
    const { rows } = await db.query<{ rows: number }>("SELECT count(*)::int AS rows FROM outbox");
    return rows[0]!.rows;
  });
}

/** The partitions whose projected position is short of `ends`, as "topic/partition at x of y". */
async function behind(readUrl: string, ends: Map<string, bigint>): Promise<string[]> {
  const positions = await withClient(readUrl, async (db) => {
    const { rows } = await db.query<{ key: string; next: string | null }>(
      "SELECT topic || '/' || partition AS key, next_offset::text AS next FROM projection_offsets",
    );
    return new Map(rows.map((row) => [row.key, BigInt(row.next ?? 0)]));
  });
  return [...ends]
    .filter(([key, end]) => (positions.get(key) ?? 0n) < end)
    .map(([key, end]) => `${key} at ${positions.get(key) ?? 0n} of ${end}`);
}

function mismatches(write: Map<string, bigint>, read: Map<string, bigint>): string[] {
  const ids = new Set([...write.keys(), ...read.keys()]);
  return [...ids]
    .filter((id) => write.get(id) !== read.get(id))
    .slice(0, 20)
    .map((id) => `${id}: write v${write.get(id) ?? "-"}, read v${read.get(id) ?? "-"}`);
}

function missingEvents(write: Map<string, bigint>, kafka: EventLog): string[] {
  const missing: string[] = [];
  for (const [id, version] of write) {
    const seen = kafka.versions.get(id) ?? new Set<bigint>();
    for (let v = 1n; v <= version; v += 1n) if (!seen.has(v)) missing.push(`${id} v${v}`);
  }
  return missing.slice(0, 20);
}
