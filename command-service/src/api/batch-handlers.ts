import { create } from "@bufbuild/protobuf";
import { Code, ConnectError, type ServiceImpl } from "@connectrpc/connect";
import { BatchExecuteResponseSchema } from "@conveyor/proto/conveyor/command/v1/batch_pb";
import type { CommandService } from "@conveyor/proto/conveyor/command/v1/command_service_pb";
import { executeBatch } from "../batch/batch-executor.ts";
import { toBatchCommand } from "./command-mapping.ts";
import { toAggregateResultMessage } from "./result-mapping.ts";
import type { CommandRoutesDeps } from "./command-routes.ts";

type BatchHandlers = Pick<ServiceImpl<typeof CommandService>, "batchExecute" | "batchExecuteStream">;

/** BatchExecute and BatchExecuteStream. */
export function batchHandlers({ dataSource }: CommandRoutesDeps): BatchHandlers {
  return {
    async batchExecute(request) {
      const commands = request.commands.map(toBatchCommand);
      const results = await executeBatch(dataSource, { requestId: request.requestId, commands });
      const failed = results.filter((r) => !r.success).length;
      return create(BatchExecuteResponseSchema, {
        requestId: request.requestId,
        success: failed === 0,
        results: results.map(toAggregateResultMessage),
        succeededAggregates: results.length - failed,
        failedAggregates: failed,
      });
    },
    // eslint-disable-next-line require-yield
    async *batchExecuteStream() {
      throw new ConnectError("BatchExecuteStream is not implemented yet", Code.Unimplemented);
    },
  };
}
