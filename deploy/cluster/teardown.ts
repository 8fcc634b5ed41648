/** What was started, undone in reverse order; a step that fails is reported and the rest still run. */
export class Teardown {
  private readonly steps: Array<() => Promise<void>> = [];

  /** Awaits `started` and, if it succeeds, remembers how to undo it. */
  async track<T>(started: Promise<T>, undo: (value: T) => Promise<void>): Promise<T> {
    const value = await started;
    this.steps.push(() => undo(value));
    return value;
  }

  /** Like track for several things started side by side: every success is tracked before any failure throws. */
  async trackAll<const T extends readonly (readonly [Promise<unknown>, (value: never) => Promise<void>])[]>(
    parts: T,
  ): Promise<{ -readonly [K in keyof T]: Awaited<T[K][0]> }> {
    const results = await Promise.allSettled(
      parts.map(([started, undo]) => this.track(started, undo as (value: unknown) => Promise<void>)),
    );
    const failed = results.find((result): result is PromiseRejectedResult => result.status === "rejected");
    if (failed) throw failed.reason;
    return results.map((result) => (result as PromiseFulfilledResult<unknown>).value) as {
      -readonly [K in keyof T]: Awaited<T[K][0]>;
    };
  }

  async run(): Promise<void> {
    const failures: unknown[] = [];
    for (const step of this.steps.splice(0).reverse()) await step().catch((error) => failures.push(error));
    if (failures.length > 0) throw new AggregateError(failures, "some parts of the cluster did not stop");
  }
}
