import { RateLimited } from "@conveyor/errors";
import type { RateLimits } from "./auth-settings.ts";
import { TokenBucket } from "./token-bucket.ts";

/** Which budget a charge draws on. */
export type Budget = keyof RateLimits;

const units: Record<Budget, { setting: string; unit: string }> = {
  requests: { setting: "RATE_LIMIT_REQUESTS", unit: "requests" },
  commands: { setting: "RATE_LIMIT_COMMANDS", unit: "batch commands" },
};

/**
 * Token buckets per principal and budget, in this server process only (N replicas allow N times the
 * rate). Buckets are created on first use; principals come from configuration, so their number is bounded.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(private readonly now: () => number = () => performance.now()) {}

  /** Charges `cost` to the principal's `budget`, or throws RateLimited naming the limit and when to retry. */
  charge(principal: string, limits: RateLimits, budget: Budget, cost: number): void {
    const rate = limits[budget];
    if (!rate || cost === 0) return;
    const key = `${budget}\u0000${principal}`;
    let bucket = this.buckets.get(key);
    if (!bucket) this.buckets.set(key, (bucket = new TokenBucket(rate, this.now())));
    const take = bucket.take(cost, this.now());
    if (take.granted) return;
    const { setting, unit } = units[budget];
    const limit = `${setting}_PER_SECOND=${rate.perSecond}, burst ${rate.burst}`;
    if (take.retryAfterMs === Infinity)
      throw new RateLimited(
        limit,
        `principal "${principal}": ${cost} ${unit} exceed the burst of ${rate.burst} ${unit}; send smaller batches`,
      );
    throw new RateLimited(
      limit,
      `principal "${principal}" is over its rate limit of ${rate.perSecond} ${unit}/s; retry in ${take.retryAfterMs} ms`,
      take.retryAfterMs,
    );
  }
}
