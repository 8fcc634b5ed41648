import { LimitExceeded } from "@conveyor/errors";
import { integer } from "@conveyor/runtime";

/** Per-batch limits and parallelism, sized by default for bulk imports of thousands of commands. */
export interface BatchLimits {
  maxCommands: number;
  /** Distinct aggregate ids in one batch. */
  maxAggregates: number;
  /** Encoded request size. The server's readMaxBytes (4 MiB by default) refuses larger messages first. */
  maxRequestBytes: number;
  /** Groups run at once when the request asks for 0. */
  defaultParallelism: number;
  /** A request asking for more gets this many. */
  maxParallelism: number;
}

export const defaultBatchLimits: BatchLimits = {
  maxCommands: 10_000,
  maxAggregates: 5_000,
  maxRequestBytes: 4 * 1024 * 1024,
  defaultParallelism: 4,
  maxParallelism: 8,
};

type Env = Record<string, string | undefined>;

/** Reads BATCH_MAX_COMMANDS, BATCH_MAX_AGGREGATES, BATCH_MAX_REQUEST_BYTES, BATCH_DEFAULT_PARALLELISM, BATCH_MAX_PARALLELISM. */
export function loadBatchLimits(env: Env = process.env): BatchLimits {
  const d = defaultBatchLimits;
  const limits = {
    maxCommands: integer(env, "BATCH_MAX_COMMANDS", d.maxCommands),
    maxAggregates: integer(env, "BATCH_MAX_AGGREGATES", d.maxAggregates),
    maxRequestBytes: integer(env, "BATCH_MAX_REQUEST_BYTES", d.maxRequestBytes),
    defaultParallelism: integer(env, "BATCH_DEFAULT_PARALLELISM", d.defaultParallelism),
    maxParallelism: integer(env, "BATCH_MAX_PARALLELISM", d.maxParallelism),
  };
  for (const [name, value] of Object.entries(limits)) {
    if (value < 1) throw new Error(`batch limit ${name} must be at least 1`);
  }
  return limits;
}

/** Refuses a batch over a limit with LimitExceeded (RESOURCE_EXHAUSTED), before anything runs. */
export function checkBatchSize(
  size: { bytes: number; commands: number; aggregates: number },
  limits: BatchLimits,
) {
  const over = (limit: string, actual: number, max: number, what: string) => {
    if (actual > max)
      throw new LimitExceeded(limit, `the batch has ${actual} ${what}; at most ${max} are allowed`);
  };
  over("max_request_bytes", size.bytes, limits.maxRequestBytes, "bytes");
  over("max_commands", size.commands, limits.maxCommands, "commands");
  over("max_aggregates", size.aggregates, limits.maxAggregates, "aggregates");
}

/** The parallelism a request gets: the default for 0, capped at the maximum. */
export function parallelismFor(requested: number, limits: BatchLimits): number {
  return Math.min(requested === 0 ? limits.defaultParallelism : requested, limits.maxParallelism);
}
