import { describe, expect, it } from "vitest";
import { createLimiter } from "./limiter.ts";

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe("createLimiter", () => {
  it("runs at most `concurrency` tasks at once, starting queued ones in submission order as slots free", async () => {
    const limit = createLimiter(2);
    const started: number[] = [];
    const finish: (() => void)[] = [];
    const results = [0, 1, 2, 3].map((n) =>
      limit(async () => {
        started.push(n);
        await new Promise<void>((resolve) => (finish[n] = resolve));
        return n;
      }),
    );
    await settle();
    expect(started).toEqual([0, 1]);
    finish[1]!();
    await settle();
    expect(started).toEqual([0, 1, 2]);
    finish[0]!();
    await settle();
    expect(started).toEqual([0, 1, 2, 3]);
    finish[2]!();
    finish[3]!();
    expect(await Promise.all(results)).toEqual([0, 1, 2, 3]);
  });

  it("frees the slot of a task that throws", async () => {
    const limit = createLimiter(1);
    await expect(limit(() => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect(await limit(() => Promise.resolve("next"))).toBe("next");
  });
});
