import { create } from "@bufbuild/protobuf";
import type { HandlerContext, ServiceImpl } from "@connectrpc/connect";
import {
  BatchExecuteStreamResponseSchema,
  type AggregateResult as AggregateResultMessage,
} from "@conveyor/proto/conveyor/command/v1/batch_pb";
import type { CommandService } from "@conveyor/proto/conveyor/command/v1/command_service_pb";
import { createLogger } from "@conveyor/runtime";
import type { AggregateResult } from "../batch/batch-command.ts";
import { loadBatchLimits } from "../batch/batch-limits.ts";
import { runBatch, type BatchRunDeps } from "./batch-run.ts";
import { authorizeBatch } from "./authorization.ts";
import type { CommandRoutesDeps } from "./command-routes.ts";
import { principalKey } from "./principal.ts";
import { createResultChannel } from "./result-channel.ts";
import { toAggregateResultMessage, toBatchSummary } from "./result-mapping.ts";

type BatchHandlers = Pick<ServiceImpl<typeof CommandService>, "batchExecute" | "batchExecuteStream">;

/** BatchExecute and BatchExecuteStream. */
export function batchHandlers(deps: CommandRoutesDeps): BatchHandlers {
  const runDeps: BatchRunDeps = {
    dataSource: deps.dataSource,
    logger: deps.logger ?? createLogger("command-service"),
    limits: deps.batchLimits ?? loadBatchLimits(),
    ...(deps.metrics && { metrics: deps.metrics }),
  };
  const principalOf = (context: HandlerContext) => context.values.get(principalKey);
  return {
    batchExecute: (request, context) => {
      authorizeBatch(context, request);
      return runBatch(runDeps, request, principalOf(context));
    },
    async *batchExecuteStream(request, context) {
      authorizeBatch(context, request);
      const channel = createResultChannel<AggregateResult>();
      const response = runBatch(runDeps, request, principalOf(context), (result) => channel.push(result));
      // Closes the channel either way; the error itself surfaces where `response` is awaited below.
      const close = () => channel.close();
      response.then(close, close);
      for await (const result of channel) yield resultMessage(toAggregateResultMessage(result));
      const final = await response;
      if (final.replayed) for (const result of final.results) yield resultMessage(result);
      yield create(BatchExecuteStreamResponseSchema, {
        message: { case: "summary", value: toBatchSummary(final) },
      });
    },
  };
}

function resultMessage(result: AggregateResultMessage) {
  return create(BatchExecuteStreamResponseSchema, { message: { case: "result", value: result } });
}
