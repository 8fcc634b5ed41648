import { LimitExceeded } from "@conveyor/errors";

/** Counts export streams (and held snapshots), each of which holds a database connection. */
export class StreamSlots {
  private used = 0;

  constructor(private readonly max: number) {}

  /** Takes `count` slots or fails with RESOURCE_EXHAUSTED (limit "export_streams") at once. */
  take(count = 1): () => void {
    if (this.used + count > this.max)
      throw new LimitExceeded(
        "export_streams",
        `the server runs at most ${this.max} export streams at once; retry later`,
      );
    this.used += count;
    let released = false;
    return () => {
      if (!released) this.used -= count;
      released = true;
    };
  }
}
