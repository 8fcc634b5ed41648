import type { ServiceImpl } from "@connectrpc/connect";
import { readConsistencyToken } from "@conveyor/messaging";
import { setBatchId } from "@conveyor/runtime";
import type { CommandService } from "@conveyor/proto/conveyor/command/v1/command_service_pb";
import { BulkUpdateInterrupted } from "../bulk/bulk-errors.ts";
import { noCommandMetrics } from "../metrics/command-metrics.ts";
import { interruptedError } from "./bulk-interrupted-error.ts";
import { toBulkUpdate } from "./bulk-request-mapping.ts";
import { toBulkUpdateResponse } from "./bulk-response-mapping.ts";
import { authorizeBulkUpdate } from "./authorization.ts";
import type { CommandRoutesDeps } from "./command-routes.ts";

/**
 * BulkUpdate: validate everything, then one statement (or one per key range); errors are just thrown.
 * A real run answers with a consistency token read after its writes committed.
 */
export function bulkUpdateHandler({
  dataSource,
  logger,
  metrics = noCommandMetrics,
}: CommandRoutesDeps): ServiceImpl<typeof CommandService>["bulkUpdate"] {
  return async (request, context) => {
    authorizeBulkUpdate(context, request);
    const update = toBulkUpdate(request);
    setBatchId(update.options.requestId);
    const operation = request.operation.case ?? "";
    try {
      const result = await update.run(dataSource);
      const { dryRun } = update.options;
      if (!dryRun) metrics.bulkUpdated(operation, result.matched, result.updated);
      logger?.debug(
        { operation, dryRun, matched: result.matched, updated: result.updated },
        "bulk update executed",
      );
      const token = update.options.dryRun ? "" : await readConsistencyToken((sql) => dataSource.query(sql));
      return toBulkUpdateResponse(update.options, result, token);
    } catch (error) {
      if (!(error instanceof BulkUpdateInterrupted)) throw error;
      metrics.bulkUpdated(operation, error.committed.matched, error.committed.updated);
      throw interruptedError(error);
    }
  };
}
