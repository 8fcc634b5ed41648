import { create } from "@bufbuild/protobuf";
import {
  BulkUpdateResponseSchema,
  type BulkUpdateResponse,
} from "@conveyor/proto/conveyor/command/v1/bulk_pb";
import type { BulkResult } from "../bulk/bulk-result.ts";
import type { BulkUpdateOptions } from "../bulk/bulk-updater.ts";

/** The BulkUpdate response for a finished bulk update (or dry run, with no consistency token). */
export function toBulkUpdateResponse(
  options: BulkUpdateOptions,
  result: BulkResult,
  consistencyToken: string,
): BulkUpdateResponse {
  return create(BulkUpdateResponseSchema, {
    consistencyToken,
    requestId: options.requestId,
    dryRun: options.dryRun,
    matched: BigInt(result.matched),
    updated: BigInt(result.updated),
    skippedPrecondition: BigInt(result.skippedPrecondition),
    unchanged: BigInt(result.unchanged),
    eventsWritten: BigInt(result.eventsWritten),
    rangesCommitted: result.rangesCommitted,
    sample: result.sample.map((change) => ({
      aggregateId: change.aggregateId,
      version: BigInt(change.version),
      description: change.description,
    })),
  });
}
