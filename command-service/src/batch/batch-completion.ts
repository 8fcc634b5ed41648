import type { Sql, Statement } from "./sql.ts";

/** One row per executed batch. */
export interface BatchAudit {
  principal: string;
  executedAt: Date;
  totalCommands: number;
  successfulAggregates: number;
  failedAggregates: number;
  durationMs: number;
}

const complete: Statement = {
  name: "complete-batch-request",
  text: `WITH stored AS (
      UPDATE batch_requests SET response = $2, completed_at = now() WHERE request_id = $1)
    INSERT INTO batch_audit (batch_id, principal, executed_at, total_commands, successful_aggregates,
      failed_aggregates, duration_ms)
    VALUES ($1, $3, $4, $5, $6, $7, $8)`,
};

/** Stores the response to replay for the request id and writes the batch's audit row, in one statement. */
export async function completeRequest(sql: Sql, requestId: string, response: Uint8Array, audit: BatchAudit) {
  const { principal, executedAt, totalCommands, successfulAggregates, failedAggregates, durationMs } = audit;
  await sql.query(complete, [
    requestId,
    Buffer.from(response),
    principal,
    executedAt,
    totalCommands,
    successfulAggregates,
    failedAggregates,
    durationMs,
  ]);
}
