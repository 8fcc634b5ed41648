import { describe, expect, it } from "vitest";
import type { LimitExceeded } from "@conveyor/errors";
import { checkBatchSize, defaultBatchLimits, loadBatchLimits, parallelismFor } from "./batch-limits.ts";

describe("batch limits", () => {
  it("default to bulk-import sizes and read each from the environment", () => {
    expect(loadBatchLimits({})).toEqual(defaultBatchLimits);
    expect(defaultBatchLimits.maxCommands).toBeGreaterThanOrEqual(1000);
    const limits = loadBatchLimits({
      BATCH_MAX_COMMANDS: "50",
      BATCH_MAX_AGGREGATES: "20",
      BATCH_MAX_REQUEST_BYTES: "1024",
      BATCH_DEFAULT_PARALLELISM: "2",
      BATCH_MAX_PARALLELISM: "3",
    });
    expect(limits).toEqual({
      maxCommands: 50,
      maxAggregates: 20,
      maxRequestBytes: 1024,
      defaultParallelism: 2,
      maxParallelism: 3,
    });
  });

  it.each(["0", "-1", "many"])("refuse the setting %s", (value) => {
    expect(() => loadBatchLimits({ BATCH_MAX_COMMANDS: value })).toThrow(/BATCH_MAX_COMMANDS|maxCommands/);
  });

  it("let a batch exactly at each limit through and refuse one over it, naming the limit", () => {
    const limits = { ...defaultBatchLimits, maxCommands: 10, maxAggregates: 5, maxRequestBytes: 100 };
    expect(() => checkBatchSize({ bytes: 100, commands: 10, aggregates: 5 }, limits)).not.toThrow();
    for (const [size, limit] of [
      [{ bytes: 101, commands: 1, aggregates: 1 }, "max_request_bytes"],
      [{ bytes: 1, commands: 11, aggregates: 1 }, "max_commands"],
      [{ bytes: 1, commands: 1, aggregates: 6 }, "max_aggregates"],
    ] as const) {
      expect(() => checkBatchSize(size, limits)).toThrow(expect.objectContaining({ limit }) as LimitExceeded);
    }
  });

  it("give a request the default parallelism for 0 and cap it at the maximum", () => {
    const limits = { ...defaultBatchLimits, defaultParallelism: 3, maxParallelism: 6 };
    expect([0, 1, 6, 100].map((requested) => parallelismFor(requested, limits))).toEqual([3, 1, 6, 6]);
  });
});
