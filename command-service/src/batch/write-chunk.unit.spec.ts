import { describe, expect, it } from "vitest";
import type { AggregateTypeName } from "./batch-command.ts";
import type { DecidedGroup } from "./run-group.ts";
import { chunksOf } from "./write-chunk.ts";

const decided = (aggregateId: string, aggregateType: AggregateTypeName): DecidedGroup => ({
  group: { aggregateId, aggregateType, commands: [], dependencies: [], runsAfter: [] },
  snapshot: undefined,
  change: undefined,
});

describe("chunksOf", () => {
  const ids = (chunks: DecidedGroup[][]) =>
    chunks.map((chunk) => chunk.map((item) => item.group.aggregateId));

  it("chunks groups by aggregate type, keeping their order, in one chunk while a type has few", () => {
    const groups = [
      decided("u1", "USER"),
      decided("t1", "TASK"),
      decided("u2", "USER"),
      decided("t2", "TASK"),
    ];
    expect(ids(chunksOf(groups, 4))).toEqual([
      ["u1", "u2"],
      ["t1", "t2"],
    ]);
  });

  it("spreads a type's groups over up to `parallelism` even chunks, within the chunk size bounds", () => {
    const users = (count: number) => Array.from({ length: count }, (_, i) => decided(`u${i}`, "USER"));
    const sizes = (count: number, parallelism: number) =>
      chunksOf(users(count), parallelism).map((chunk) => chunk.length);
    expect(sizes(40, 4)).toEqual([20, 20]);
    expect(sizes(100, 4)).toEqual([25, 25, 25, 25]);
    expect(sizes(450, 2)).toEqual([90, 90, 90, 90, 90]);
    expect(sizes(31, 8)).toEqual([31]);
  });
});
