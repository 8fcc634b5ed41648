import type { Pool } from "pg";
import { decodeConsistencyToken, delay } from "@conveyor/messaging";
import { InfrastructureError } from "@conveyor/errors";

/**
 * True once the read model has applied every event of the writes a consistency token names: the first
 * relay watermark at or above the token's horizon exists and every partition has been applied up to the
 * end offsets it recorded. One indexed lookup plus a join over a handful of partitions.
 * A malformed token is a ValidationError on `options.consistency_token`.
 */
export async function hasReached(pool: Pick<Pool, "query">, token: string): Promise<boolean> {
  const horizon = decodeConsistencyToken(token);
  const { rows } = await pool.query<{ reached: boolean }>(
    `WITH w AS (SELECT * FROM projection_watermarks WHERE horizon >= $1 ORDER BY horizon LIMIT 1)
     SELECT EXISTS (SELECT 1 FROM w) AND NOT EXISTS (
       SELECT 1 FROM w, unnest(w.topics, w.partitions, w.end_offsets) AS e(topic, partition, end_offset)
       LEFT JOIN projection_offsets p ON p.topic = e.topic AND p.partition = e.partition
       WHERE coalesce(p.next_offset, 0) < e.end_offset) AS reached`,
    [horizon.toString()],
  );
  return rows[0]!.reached;
}

export interface WaitOptions {
  timeoutMs: number;
  signal?: AbortSignal;
  /** Pause between checks. */
  intervalMs?: number;
}

/**
 * Waits until `hasReached(token)`. Throws InfrastructureError (retriable) when `timeoutMs` passes first,
 * and the signal's reason when it aborts (a cancelled export).
 */
export async function waitForConsistency(
  pool: Pick<Pool, "query">,
  token: string,
  options: WaitOptions,
): Promise<void> {
  const deadline = performance.now() + options.timeoutMs;
  while (!(await hasReached(pool, token))) {
    options.signal?.throwIfAborted();
    if (performance.now() >= deadline)
      throw new InfrastructureError(
        `the read model did not reach the consistency token within ${options.timeoutMs} ms; retry later`,
        true,
      );
    await delay(options.intervalMs ?? 10);
  }
}
