import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { rowDifferences, type ComparableRow } from "./row-differences.ts";

const rows = (...list: ComparableRow[]) => Readable.from(list) as AsyncIterable<ComparableRow>;

async function all<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

describe("row differences", () => {
  it("reports missing, unexpected and different rows, and nothing for equal ones", async () => {
    const expected = [
      { id: "a", email: "x" },
      { id: "b", email: "y" },
      { id: "d", email: "z" },
    ];
    const actual = [
      { id: "b", email: "y" },
      { id: "c", email: "q" },
      { id: "d", email: "Z" },
    ];
    expect(await all(rowDifferences("t", rows(...expected), rows(...actual)))).toEqual([
      { table: "t", id: "a", kind: "missing", expected: { id: "a", email: "x" } },
      { table: "t", id: "c", kind: "unexpected", actual: { id: "c", email: "q" } },
      { table: "t", id: "d", kind: "different", fields: [{ field: "email", expected: "z", actual: "Z" }] },
    ]);
  });

  it("reports trailing rows of either side", async () => {
    expect(await all(rowDifferences("t", rows({ id: "a" }), rows()))).toHaveLength(1);
    expect(await all(rowDifferences("t", rows(), rows({ id: "a" })))).toHaveLength(1);
  });
});
