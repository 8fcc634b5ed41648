import type { Queryable } from "./aggregate-kind.ts";

/** One row per executed batch. */
export interface BatchAudit {
  principal: string;
  executedAt: Date;
  totalCommands: number;
  successfulAggregates: number;
  failedAggregates: number;
  durationMs: number;
}

/** Stores the response to replay for the request id and writes the batch's audit row, in one statement. */
export async function completeRequest(
  db: Queryable,
  requestId: string,
  response: Uint8Array,
  audit: BatchAudit,
) {
  await db.query(
    `WITH stored AS (
       UPDATE batch_requests SET response = $2, completed_at = now() WHERE request_id = $1)
     INSERT INTO batch_audit (batch_id, principal, executed_at, total_commands, successful_aggregates,
       failed_aggregates, duration_ms)
     VALUES ($1, $3, $4, $5, $6, $7, $8)`,
    [
      requestId,
      Buffer.from(response),
      audit.principal,
      audit.executedAt,
      audit.totalCommands,
      audit.successfulAggregates,
      audit.failedAggregates,
      audit.durationMs,
    ],
  );
}
