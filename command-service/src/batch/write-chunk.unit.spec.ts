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
  it("chunks groups by aggregate type, in order, at most the given number per chunk", () => {
    const groups = [
      decided("u1", "USER"),
      decided("t1", "TASK"),
      decided("u2", "USER"),
      decided("u3", "USER"),
      decided("t2", "TASK"),
    ];
    expect(chunksOf(groups, 2).map((chunk) => chunk.map((item) => item.group.aggregateId))).toEqual([
      ["u1", "u2"],
      ["u3"],
      ["t1", "t2"],
    ]);
  });
});
