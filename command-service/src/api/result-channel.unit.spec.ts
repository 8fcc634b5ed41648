import { describe, expect, it } from "vitest";
import { createResultChannel } from "./result-channel.ts";

describe("createResultChannel", () => {
  it("hands out what was pushed before and while reading, and ends once closed and drained", async () => {
    const channel = createResultChannel<number>();
    channel.push(1);
    const read = (async () => {
      const seen: number[] = [];
      for await (const item of channel) seen.push(item);
      return seen;
    })();
    await new Promise((resolve) => setImmediate(resolve));
    channel.push(2);
    channel.push(3);
    channel.close();
    expect(await read).toEqual([1, 2, 3]);
  });
});
