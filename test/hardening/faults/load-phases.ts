import { withClient } from "../../../deploy/local/postgres.ts";
import { waitFor } from "../../harness/wait-for.ts";
import { modelVersions } from "../../scale/model-rows.ts";
import type { Load, LoadReport } from "../../scale/load.ts";

/** Waits until the load has `count` more confirmed batches than now. */
export async function afterMoreBatches(load: Load, count: number, phase: string): Promise<void> {
  const target = load.confirmedBatches() + count;
  await waitFor(() => load.confirmedBatches() >= target, {
    timeoutMs: 240_000,
    intervalMs: 100,
    description: () =>
      `${count} more confirmed batches (${phase}), have ${load.confirmedBatches()} of ${target}`,
  });
}

/**
 * Aggregates whose write-model version is not what the load's confirmed batches give it: a confirmed
 * command that is missing (or applied twice) on the write side.
 */
export async function unconfirmedVersions(writeUrl: string, report: LoadReport): Promise<string[]> {
  const versions = await modelVersions(writeUrl, "write");
  return [...report.expectedVersions]
    .filter(([id, version]) => versions.get(id) !== version)
    .slice(0, 20)
    .map(([id, version]) => `${id}: confirmed v${version}, write model v${versions.get(id) ?? "-"}`);
}

/** Rows waiting in the outbox. */
export async function outboxBacklog(writeUrl: string): Promise<number> {
  return withClient(writeUrl, async (db) => {
    const { rows } = await db.query<{ rows: number }>("SELECT count(*)::int AS rows FROM outbox");
    return rows[0]!.rows;
  });
}

/** Runs `phases` while the load runs, then stops the load (also when a phase fails) and reports. */
export async function runLoad(load: Load, phases: () => Promise<void>): Promise<LoadReport> {
  try {
    await phases();
  } catch (error) {
    await load.stop();
    throw error;
  }
  return load.stop();
}
