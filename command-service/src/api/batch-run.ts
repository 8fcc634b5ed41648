import { fromBinary, toBinary } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import { AlreadyExistsError } from "@conveyor/errors";
import {
  BatchExecuteResponseSchema,
  type BatchExecuteRequest,
  type BatchExecuteResponse,
} from "@conveyor/proto/conveyor/command/v1/batch_pb";
import type { AggregateResult } from "../batch/batch-command.ts";
import { completeRequest } from "../batch/batch-completion.ts";
import { executeBatch } from "../batch/batch-executor.ts";
import type { BatchLimits } from "../batch/batch-limits.ts";
import { claimRequest, releaseClaim } from "../batch/request-claims.ts";
import type { GroupDeps } from "../batch/run-group.ts";
import { withSql, type Sql } from "../batch/sql.ts";
import { parseBatchRequest } from "./batch-request-mapping.ts";
import { toBatchResponse } from "./result-mapping.ts";

export interface BatchRunDeps extends GroupDeps {
  limits: BatchLimits;
}

/**
 * One BatchExecute: limits and validation first; then the request id is claimed, so a retry replays
 * the stored response instead of running again (a different payload under the same id is refused with
 * ALREADY_EXISTS, a retry while the first call still runs with ABORTED); then the batch runs and its
 * response is stored together with the audit row. `onResult` hears each group's result as it ends.
 */
export async function runBatch(
  deps: BatchRunDeps,
  message: BatchExecuteRequest,
  principal: string,
  onResult?: (result: AggregateResult) => void,
): Promise<BatchExecuteResponse> {
  const executedAt = new Date();
  const started = performance.now();
  const { request, payloadSha256 } = parseBatchRequest(message, deps.limits, executedAt);
  const onConnection = <T>(work: (sql: Sql) => Promise<T>) =>
    withSql(deps.dataSource, { transaction: false }, work);
  const claim = await onConnection((sql) => claimRequest(sql, request.requestId, payloadSha256));
  switch (claim.kind) {
    case "completed":
      return { ...fromBinary(BatchExecuteResponseSchema, claim.response), replayed: true };
    case "different-payload":
      throw new AlreadyExistsError(`request id ${request.requestId} was already used for a different batch`);
    case "in-progress":
      throw new ConnectError(
        `request ${request.requestId} is still running; retry to get its result`,
        Code.Aborted,
      );
    case "claimed":
      break;
  }
  let results: AggregateResult[];
  try {
    results = await executeBatch(deps, request, onResult);
  } catch (error) {
    await onConnection((sql) => releaseClaim(sql, request.requestId));
    throw error;
  }
  const response = toBatchResponse(request.requestId, results);
  const audit = {
    principal,
    executedAt,
    totalCommands: request.commands.length,
    successfulAggregates: response.succeededAggregates,
    failedAggregates: response.failedAggregates,
    durationMs: performance.now() - started,
  };
  const stored = toBinary(BatchExecuteResponseSchema, response);
  await onConnection((sql) => completeRequest(sql, request.requestId, stored, audit));
  return response;
}
