/**
 * A small seeded pseudo-random generator (mulberry32): the same seed gives the same inputs, so a failing
 * fuzz or load run can be replayed with HARDENING_SEED=<seed>.
 */
export class Prng {
  private state: number;

  constructor(readonly seed: number) {
    this.state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [min, max] (both included). */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error("pick from an empty list");
    return items[this.int(0, items.length - 1)]!;
  }

  /** One of `choices`, each with its weight. */
  weighted<T>(choices: ReadonlyArray<readonly [number, T]>): T {
    const total = choices.reduce((sum, [weight]) => sum + weight, 0);
    let roll = this.next() * total;
    for (const [weight, value] of choices) {
      roll -= weight;
      if (roll < 0) return value;
    }
    return choices.at(-1)![1];
  }

  bytes(length: number): Uint8Array {
    const out = new Uint8Array(length);
    for (let i = 0; i < length; i += 1) out[i] = this.int(0, 255);
    return out;
  }

  /** A generator of its own, seeded from this one (e.g. one per load client). */
  fork(): Prng {
    return new Prng(this.int(0, 0xffffffff));
  }
}

/** HARDENING_SEED when set, else a fresh seed; print it so the run can be repeated. */
export function hardeningSeed(): number {
  const configured = process.env.HARDENING_SEED;
  if (configured !== undefined && configured !== "") {
    const seed = Number(configured);
    if (!Number.isSafeInteger(seed) || seed < 0)
      throw new Error(`HARDENING_SEED must be an integer: ${configured}`);
    return seed >>> 0;
  }
  return Math.floor(Math.random() * 0x100000000) >>> 0;
}
