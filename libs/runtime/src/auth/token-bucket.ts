/** A rate and how much of it may be spent at once. */
export interface Rate {
  /** Tokens added per second. */
  perSecond: number;
  /** Capacity: the most that can be spent at once, and what a fresh bucket holds. */
  burst: number;
}

/** What `take` decided: granted, or refused with how long until `cost` tokens are there (Infinity: never). */
export type Take = { granted: true } | { granted: false; retryAfterMs: number };

/** A token bucket with an injected clock (milliseconds), so it is pure and testable. */
export class TokenBucket {
  private tokens: number;
  private updatedAt: number;

  constructor(
    private readonly rate: Rate,
    now: number,
  ) {
    this.tokens = rate.burst;
    this.updatedAt = now;
  }

  /** Takes `cost` tokens if the bucket holds them; a refused take takes nothing. */
  take(cost: number, now: number): Take {
    this.refill(now);
    if (cost <= this.tokens) {
      this.tokens -= cost;
      return { granted: true };
    }
    if (cost > this.rate.burst) return { granted: false, retryAfterMs: Infinity };
    return { granted: false, retryAfterMs: Math.ceil(((cost - this.tokens) / this.rate.perSecond) * 1000) };
  }

  private refill(now: number): void {
    const elapsedMs = Math.max(0, now - this.updatedAt);
    this.tokens = Math.min(this.rate.burst, this.tokens + (elapsedMs / 1000) * this.rate.perSecond);
    this.updatedAt = now;
  }
}
