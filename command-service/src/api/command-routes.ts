import type { ConnectRouter } from "@connectrpc/connect";
import type { DataSource } from "typeorm";
import { CommandService } from "@conveyor/proto/conveyor/command/v1/command_service_pb";
import type { Logger } from "@conveyor/runtime";
import type { BatchLimits } from "../batch/batch-limits.ts";
import type { CommandMetrics } from "../metrics/command-metrics.ts";
import { batchHandlers } from "./batch-handlers.ts";
import { bulkUpdateHandler } from "./bulk-update-handler.ts";

export interface CommandRoutesDeps {
  dataSource: DataSource;
  logger?: Logger;
  /** Defaults to loadBatchLimits() (environment, else bulk-import defaults). */
  batchLimits?: BatchLimits;
  /** Batch and bulk metrics; none recorded when absent. */
  metrics?: CommandMetrics;
}

/** The CommandService routes: proto in, domain in the middle, proto out. */
export function commandRoutes(deps: CommandRoutesDeps) {
  return (router: ConnectRouter) =>
    router.service(CommandService, { ...batchHandlers(deps), bulkUpdate: bulkUpdateHandler(deps) });
}
