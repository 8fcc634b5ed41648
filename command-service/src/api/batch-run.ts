import { fromBinary, toBinary } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import { AlreadyExistsError, ConveyorError, InfrastructureError } from "@conveyor/errors";
import { setBatchId } from "@conveyor/runtime";
import {
  BatchExecuteResponseSchema,
  type BatchExecuteRequest,
  type BatchExecuteResponse,
} from "@conveyor/proto/conveyor/command/v1/batch_pb";
import type { AggregateResult, BatchRequest } from "../batch/batch-command.ts";
import { completeRequest } from "../batch/batch-completion.ts";
import { executeBatch } from "../batch/batch-executor.ts";
import type { BatchLimits } from "../batch/batch-limits.ts";
import { isConnectionFailure } from "../batch/pg-error.ts";
import { claimRequest, releaseClaim } from "../batch/request-claims.ts";
import type { GroupDeps } from "../batch/run-group.ts";
import { withSql, type Sql } from "../batch/sql.ts";
import type { CommandMetrics } from "../metrics/command-metrics.ts";
import { parseBatchRequest } from "./batch-request-mapping.ts";
import { toBatchResponse } from "./result-mapping.ts";

export interface BatchRunDeps extends GroupDeps {
  limits: BatchLimits;
  metrics?: CommandMetrics;
}

type OnConnection = <T>(work: (sql: Sql) => Promise<T>) => Promise<T>;

const tokenField = BatchExecuteResponseSchema.field.consistencyToken.number;

/**
 * One BatchExecute: limits and validation first; then the request id is claimed, so a retry replays
 * the stored response instead of running again (a different payload under the same id is refused with
 * ALREADY_EXISTS, a retry while the first call still runs with ABORTED); then the batch runs and its
 * response (with a consistency token read after its transactions committed) is stored together with the
 * audit row. `onResult` hears each group's result as it ends.
 * A lost database connection surfaces as UNAVAILABLE, which clients may retry with the same id.
 */
export async function runBatch(
  deps: BatchRunDeps,
  message: BatchExecuteRequest,
  principal: string,
  onResult?: (result: AggregateResult) => void,
): Promise<BatchExecuteResponse> {
  setBatchId(message.requestId);
  const executedAt = new Date();
  const started = performance.now();
  const { request, payloadSha256 } = parseBatchRequest(message, deps.limits, executedAt);
  const onConnection: OnConnection = (work) => withSql(deps.dataSource, { transaction: false }, work);
  try {
    const stored = await storedResponseOrClaim(onConnection, request.requestId, payloadSha256);
    if (stored) return stored;
    const results = await executeClaimed(deps, onConnection, request, onResult);
    // The token is read by the statement that stores the response (after the batch committed).
    const response = toBatchResponse(request.requestId, results, "");
    deps.metrics?.batchExecuted(request.commands.length, response);
    const audit = {
      principal,
      executedAt,
      totalCommands: request.commands.length,
      successfulAggregates: response.succeededAggregates,
      failedAggregates: response.failedAggregates,
      durationMs: performance.now() - started,
    };
    const toStore = { bytes: toBinary(BatchExecuteResponseSchema, response), tokenField };
    response.consistencyToken = await onConnection((sql) =>
      completeRequest(sql, request.requestId, toStore, audit),
    );
    deps.logger.debug(audit, "batch executed");
    return response;
  } catch (error) {
    if (error instanceof ConveyorError || error instanceof ConnectError || !isConnectionFailure(error))
      throw error;
    throw new InfrastructureError("the write database is unavailable; retry the request", true, {
      cause: error,
    });
  }
}

/** The stored response of an earlier run of this request id, or undefined once this call has claimed it. */
async function storedResponseOrClaim(
  onConnection: OnConnection,
  requestId: string,
  payloadSha256: Uint8Array,
): Promise<BatchExecuteResponse | undefined> {
  const claim = await onConnection((sql) => claimRequest(sql, requestId, payloadSha256));
  switch (claim.kind) {
    case "claimed":
      return undefined;
    case "completed":
      return { ...fromBinary(BatchExecuteResponseSchema, claim.response), replayed: true };
    case "different-payload":
      throw new AlreadyExistsError(`request id ${requestId} was already used for a different batch`);
    case "in-progress":
      throw new ConnectError(`request ${requestId} is still running; retry to get its result`, Code.Aborted);
  }
}

/** Runs a claimed batch; if it could not run at all, gives the claim up (best effort) so a retry can run it. */
async function executeClaimed(
  deps: BatchRunDeps,
  onConnection: OnConnection,
  request: BatchRequest,
  onResult?: (result: AggregateResult) => void,
): Promise<AggregateResult[]> {
  try {
    return await executeBatch(deps, request, onResult);
  } catch (error) {
    await onConnection((sql) => releaseClaim(sql, request.requestId)).catch((releaseError: unknown) =>
      deps.logger.warn(
        { err: releaseError, requestId: request.requestId },
        "could not release a batch claim",
      ),
    );
    throw error;
  }
}
