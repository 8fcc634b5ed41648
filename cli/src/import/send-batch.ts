import { setTimeout as sleep } from "node:timers/promises";
import { Code, ConnectError, type Client } from "@connectrpc/connect";
import type { BatchExecuteRequest, BatchExecuteResponse } from "@conveyor/proto/conveyor/command/v1/batch_pb";
import type { CommandService } from "@conveyor/proto/conveyor/command/v1/command_service_pb";
import type { MessageInitShape } from "@bufbuild/protobuf";
import type { BatchExecuteRequestSchema } from "@conveyor/proto/conveyor/command/v1/batch_pb";

/** Worth retrying with the same request id: the server may run (or finish running) the batch. */
const transient = new Set([Code.Unavailable, Code.Aborted, Code.DeadlineExceeded]);
/** The server refused this batch's content; the next batches may still go through. */
export const refusedBatch = new Set([
  Code.InvalidArgument,
  Code.ResourceExhausted,
  Code.AlreadyExists,
  Code.FailedPrecondition,
]);

export interface SendOptions {
  attempts: number;
  firstDelayMs: number;
}

/**
 * Sends one batch, retrying transient failures with backoff. Retrying is safe: the request id makes
 * the server replay a batch that already ran.
 */
export async function sendBatch(
  client: Client<typeof CommandService>,
  request: MessageInitShape<typeof BatchExecuteRequestSchema> & Pick<BatchExecuteRequest, "requestId">,
  { attempts, firstDelayMs }: SendOptions = { attempts: 4, firstDelayMs: 500 },
): Promise<BatchExecuteResponse> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await client.batchExecute(request);
    } catch (error) {
      const code = ConnectError.from(error).code;
      if (!transient.has(code) || attempt === attempts) throw error;
      await sleep(firstDelayMs * 2 ** (attempt - 1));
    }
  }
}
