import { createHash } from "node:crypto";
import { toBinary } from "@bufbuild/protobuf";
import { ValidationError } from "@conveyor/errors";
import {
  BatchExecuteRequestSchema,
  TransactionMode,
  type BatchExecuteRequest,
} from "@conveyor/proto/conveyor/command/v1/batch_pb";
import type { BatchRequest } from "../batch/batch-command.ts";
import { checkBatchSize, parallelismFor, type BatchLimits } from "../batch/batch-limits.ts";
import { toBatchCommands } from "./command-mapping.ts";
import { requiredText } from "./field-validation.ts";

const maxRequestIdLength = 200;

export interface ParsedBatch {
  request: BatchRequest;
  /** Identifies the payload: a retry with the same request id must carry the same one. */
  payloadSha256: Uint8Array;
}

/** Checks the limits (RESOURCE_EXHAUSTED), then validates everything (INVALID_ARGUMENT); nothing has run yet. */
export function parseBatchRequest(
  message: BatchExecuteRequest,
  limits: BatchLimits,
  receivedAt: Date,
): ParsedBatch {
  const bytes = toBinary(BatchExecuteRequestSchema, message);
  const aggregates = new Set(message.commands.map((command) => command.aggregateId.toLowerCase())).size;
  checkBatchSize({ bytes: bytes.length, commands: message.commands.length, aggregates }, limits);
  const requestId = requiredText(message.requestId, "request_id", maxRequestIdLength);
  if (message.commands.length === 0) throw new ValidationError("commands", "must not be empty");
  return {
    request: {
      requestId,
      commands: toBatchCommands(message.commands, receivedAt),
      mode: modeOf(message.options?.transactionMode ?? TransactionMode.UNSPECIFIED),
      parallelism: parallelismFor(message.options?.parallelism ?? 0, limits),
    },
    payloadSha256: createHash("sha256").update(bytes).digest(),
  };
}

function modeOf(mode: TransactionMode): BatchRequest["mode"] {
  switch (mode) {
    case TransactionMode.UNSPECIFIED:
    case TransactionMode.PER_AGGREGATE:
      return "PER_AGGREGATE";
    case TransactionMode.ALL_OR_NOTHING:
      return "ALL_OR_NOTHING";
    default:
      throw new ValidationError("options.transaction_mode", `unknown value ${String(mode)}`);
  }
}
