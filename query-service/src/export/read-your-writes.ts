import { InfrastructureError } from "@conveyor/errors";

/**
 * Whether the read model has applied every write a consistency token names. The projector owns the
 * token's meaning and provides this check (`hasReached` in query-service/src/projection/), which throws
 * a ValidationError on options.consistency_token for a malformed token.
 */
export type ConsistencyCheck = (token: string) => Promise<boolean>;

/** Waits for a consistency token before an export takes its snapshot. */
export interface ConsistencyGate {
  waitFor(token: string, signal: AbortSignal): Promise<void>;
}

const firstPollMs = 10;
const maxPollMs = 200;

/**
 * Polls `check` (10 ms, doubling up to 200 ms) until it says yes; after `timeoutMs` fails with
 * UNAVAILABLE (retriable: the read model is behind); a cancelled call stops waiting at once.
 */
export function consistencyGate(check: ConsistencyCheck, timeoutMs: number): ConsistencyGate {
  return {
    async waitFor(token, signal) {
      if (!token) return;
      const deadline = Date.now() + timeoutMs;
      for (let pause = firstPollMs; !(await check(token)); pause = Math.min(2 * pause, maxPollMs)) {
        if (Date.now() >= deadline)
          throw new InfrastructureError(
            `the read model has not reached the consistency token within ${timeoutMs} ms`,
            true,
          );
        await sleep(Math.min(pause, Math.max(0, deadline - Date.now())), signal);
      }
    },
  };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    signal.throwIfAborted();
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason as Error);
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });
}
