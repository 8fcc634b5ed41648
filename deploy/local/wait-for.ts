import { setTimeout as delay } from "node:timers/promises";

export interface WaitForOptions {
  /** Gives up after this long (default 30 s). */
  timeoutMs?: number;
  /** Pause between two checks (default 100 ms). */
  intervalMs?: number;
  /** What is awaited, for the timeout message, e.g. "Kafka at 127.0.0.1:9092"; a function is read at timeout. */
  description: string | (() => string);
}

/**
 * Polls `condition` until it returns a truthy value and returns that value. A check that throws counts as
 * "not yet"; on timeout the error names the description and the last error seen.
 */
export async function waitFor<T>(
  condition: () => T | Promise<T>,
  { timeoutMs = 30_000, intervalMs = 100, description }: WaitForOptions,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await condition();
      if (value) return value;
    } catch (error) {
      if (error instanceof FatalWaitError) throw error;
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const cause = lastError instanceof Error ? ` (last error: ${lastError.message})` : "";
      const what = typeof description === "function" ? description() : description;
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${cause}`, { cause: lastError });
    }
    await delay(intervalMs);
  }
}

/** Thrown by a condition to stop waiting at once, e.g. when the awaited process has died. */
export class FatalWaitError extends Error {}
