import { describe, expect, it } from "vitest";
import { TokenBucket } from "./token-bucket.ts";

describe("TokenBucket", () => {
  it("starts full and grants up to its burst at once", () => {
    const bucket = new TokenBucket({ perSecond: 1, burst: 3 }, 0);
    expect([1, 1, 1].map((cost) => bucket.take(cost, 0).granted)).toEqual([true, true, true]);
    expect(bucket.take(1, 0)).toEqual({ granted: false, retryAfterMs: 1000 });
  });

  it("refills at its rate, never above its burst", () => {
    const bucket = new TokenBucket({ perSecond: 10, burst: 5 }, 0);
    expect(bucket.take(5, 0).granted).toBe(true);
    expect(bucket.take(3, 200)).toEqual({ granted: false, retryAfterMs: 100 });
    expect(bucket.take(3, 300).granted).toBe(true);
    expect(bucket.take(6, 60_000)).toEqual({ granted: false, retryAfterMs: Infinity });
    expect(bucket.take(5, 60_000).granted).toBe(true);
  });

  it("takes nothing when it refuses", () => {
    const bucket = new TokenBucket({ perSecond: 1, burst: 4 }, 0);
    expect(bucket.take(3, 0).granted).toBe(true);
    expect(bucket.take(2, 0).granted).toBe(false);
    expect(bucket.take(1, 0).granted).toBe(true);
  });
});
