import { create } from "@bufbuild/protobuf";
import {
  AggregateErrorCode,
  AggregateResultSchema,
  BatchExecuteResponseSchema,
  BatchSummarySchema,
  type AggregateResult as AggregateResultMessage,
  type BatchExecuteResponse,
  type BatchSummary,
} from "@conveyor/proto/conveyor/command/v1/batch_pb";
import { AggregateType } from "@conveyor/proto/conveyor/types/v1/types_pb";
import type { AggregateResult } from "../batch/batch-command.ts";

/** Maps a domain aggregate result to its proto message. */
export function toAggregateResultMessage(result: AggregateResult): AggregateResultMessage {
  return create(AggregateResultSchema, {
    aggregateId: result.aggregateId,
    aggregateType: AggregateType[result.aggregateType],
    success: result.success,
    eventsGenerated: result.eventsGenerated,
    commandsProcessed: result.commandsProcessed,
    version: BigInt(result.version),
    ...(result.error && {
      errorCode: AggregateErrorCode[result.error.code],
      errorMessage: result.error.message,
      failedCommandIndex: result.error.commandIndex,
    }),
  });
}

export function toBatchResponse(
  requestId: string,
  results: AggregateResult[],
  consistencyToken: string,
): BatchExecuteResponse {
  const failed = results.filter((result) => !result.success).length;
  return create(BatchExecuteResponseSchema, {
    requestId,
    success: failed === 0,
    results: results.map(toAggregateResultMessage),
    succeededAggregates: results.length - failed,
    failedAggregates: failed,
    consistencyToken,
  });
}

export function toBatchSummary(response: BatchExecuteResponse): BatchSummary {
  return create(BatchSummarySchema, {
    requestId: response.requestId,
    success: response.success,
    succeededAggregates: response.succeededAggregates,
    failedAggregates: response.failedAggregates,
    replayed: response.replayed,
    consistencyToken: response.consistencyToken,
  });
}
