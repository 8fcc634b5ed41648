import { consistencyHorizonSql, encodeConsistencyToken } from "@conveyor/messaging";
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

/** The response to store for replays: its protobuf encoding without the consistency token. */
export interface ResponseWithoutToken {
  bytes: Uint8Array;
  /** The number of the response's string field that carries the token (at most 15: a one-byte tag). */
  tokenField: number;
}

// What a token is before its horizon's digits ("ct1."), so the statement can write the token itself.
const tokenPrefix = encodeConsistencyToken(0n).slice(0, -1);

/**
 * Reads the consistency token's horizon (the statement starts after the batch's transactions
 * committed), stores the response with the token for replays and writes the audit row. The token is
 * appended to the stored bytes as one more length-delimited field: protobuf decodes concatenated
 * encodings as one message, and a token is shorter than 128 bytes, so its length is one byte.
 */
const complete: Statement = {
  name: "complete-batch-request-with-token",
  text: `WITH horizon AS (${consistencyHorizonSql}),
    token AS (SELECT xmax, convert_to($9 || xmax, 'UTF8') AS utf8 FROM horizon),
    stored AS (
      UPDATE batch_requests SET completed_at = now(), response = $2
        || set_byte('\\x00'::bytea, 0, $10 * 8 + 2) || set_byte('\\x00'::bytea, 0, length(token.utf8)) || token.utf8
      FROM token WHERE request_id = $1)
    INSERT INTO batch_audit (batch_id, principal, executed_at, total_commands, successful_aggregates,
      failed_aggregates, duration_ms)
    VALUES ($1, $3, $4, $5, $6, $7, $8)
    RETURNING (SELECT xmax FROM horizon)`,
};

/**
 * Stores the response to replay for the request id, with the consistency token read in the same
 * statement, and writes the batch's audit row: one round trip. Returns the token.
 */
export async function completeRequest(
  sql: Sql,
  requestId: string,
  response: ResponseWithoutToken,
  audit: BatchAudit,
): Promise<string> {
  const { principal, executedAt, totalCommands, successfulAggregates, failedAggregates, durationMs } = audit;
  const [row] = await sql.query<{ xmax: string }>(complete, [
    requestId,
    Buffer.from(response.bytes),
    principal,
    executedAt,
    totalCommands,
    successfulAggregates,
    failedAggregates,
    durationMs,
    tokenPrefix,
    response.tokenField,
  ]);
  if (!row) throw new Error("completing a batch request returned no row");
  return encodeConsistencyToken(BigInt(row.xmax));
}
