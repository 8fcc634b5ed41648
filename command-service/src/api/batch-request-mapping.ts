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

export const maxRequestIdLength = 200;

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
  const json = JSON.stringify(message, jsonValue);
  const aggregates = new Set(message.commands.map((command) => command.aggregateId.toLowerCase())).size;
  const size = {
    bytes: encodedSize(message, json, limits.maxRequestBytes),
    commands: message.commands.length,
  };
  checkBatchSize({ ...size, aggregates }, limits);
  const requestId = requiredText(message.requestId, "request_id", maxRequestIdLength);
  if (message.commands.length === 0) throw new ValidationError("commands", "must not be empty");
  return {
    request: {
      requestId,
      commands: toBatchCommands(message.commands, receivedAt),
      mode: modeOf(message.options?.transactionMode ?? TransactionMode.UNSPECIFIED),
      parallelism: parallelismFor(message.options?.parallelism ?? 0, limits),
    },
    payloadSha256: createHash("sha256").update(json).digest(),
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

// The payload is identified by a hash of the decoded request's JSON form rather than of its binary
// re-encoding: protobuf-es encodes by reflection, and re-encoding a batch of thousands of commands cost
// about as much as decoding it, where JSON.stringify is several times cheaper. Equal requests give equal
// JSON (a retry re-sends the same fields in the same order, so they are decoded into the same shape).
function jsonValue(key: string, value: unknown): unknown {
  if (key === "$typeName") return undefined;
  return typeof value === "bigint" ? value.toString() : value;
}

/**
 * The request's encoded size, or a bound on it when that is within `limit`: a field costs at most 4 times
 * as many bytes in binary as characters in this JSON form (e.g. `"k":-1,` is 7 characters, its binary
 * at most a 2-byte tag and a 10-byte varint; a string at most a tag, a length and 3 UTF-8 bytes per
 * character, against its key, quotes and characters in JSON), so only a request near the limit is
 * encoded to measure it.
 */
function encodedSize(message: BatchExecuteRequest, json: string, limit: number): number {
  const bound = 4 * json.length;
  return bound <= limit ? bound : toBinary(BatchExecuteRequestSchema, message).length;
}
