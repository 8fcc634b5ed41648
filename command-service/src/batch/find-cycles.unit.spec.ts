import { describe, expect, it } from "vitest";
import { findCycles } from "./find-cycles.ts";

const graph = (edges: Record<string, string[]>) => new Map(Object.entries(edges));

describe("findCycles", () => {
  it("finds nothing in a graph without cycles", () => {
    expect(findCycles(graph({ a: ["b"], b: ["c"], c: [], d: ["b"] }))).toEqual(new Map());
  });

  it("names each node on a cycle with the cycle written from it, leaving nodes that only lead into it", () => {
    const cycles = findCycles(graph({ a: ["b"], b: ["c"], c: ["a"], d: ["a"], self: ["self"] }));
    expect(Object.fromEntries(cycles)).toEqual({
      a: ["a", "b", "c", "a"],
      b: ["b", "c", "a", "b"],
      c: ["c", "a", "b", "c"],
      self: ["self", "self"],
    });
  });

  it("ignores edges to nodes outside the graph", () => {
    expect(findCycles(graph({ a: ["outside"] }))).toEqual(new Map());
  });
});
