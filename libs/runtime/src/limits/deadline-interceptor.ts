import type { Interceptor } from "@connectrpc/connect";
import { TimeLimitExceeded } from "@conveyor/errors";
import { type ServerLimits, serverLimitVars } from "./server-limits.ts";

type DeadlineLimits = Pick<ServerLimits, "maxUnaryDeadlineMs" | "maxStreamDeadlineMs">;

/**
 * Caps how long a call runs: unary calls at `maxUnaryDeadlineMs`, streaming ones at
 * `maxStreamDeadlineMs`, whether the client sent a longer deadline or none. A client's shorter
 * deadline still wins (connect-node aborts the call's signal with it). When the cap passes, the
 * handler's signal aborts (so its database work stops) and the call ends with DEADLINE_EXCEEDED
 * naming the limit, even if the handler ignores the signal.
 */
export function createDeadlineInterceptor(limits: DeadlineLimits): Interceptor {
  return (next) => async (request) => {
    const unary = request.method.methodKind === "unary";
    const cap = unary
      ? { name: serverLimitVars.maxUnaryDeadlineMs, ms: limits.maxUnaryDeadlineMs }
      : { name: serverLimitVars.maxStreamDeadlineMs, ms: limits.maxStreamDeadlineMs };
    const deadline = new AbortController();
    const timer = setTimeout(
      () =>
        deadline.abort(
          new TimeLimitExceeded(
            `${cap.name}=${cap.ms}`,
            `the call ran past the server's maximum deadline of ${cap.ms} ms`,
          ),
        ),
      cap.ms,
    );
    const stop = () => clearTimeout(timer);
    try {
      const request_ = { ...request, signal: AbortSignal.any([request.signal, deadline.signal]) };
      const response = await untilAborted(next(request_), deadline.signal);
      if (!response.stream) {
        stop();
        return response;
      }
      return { ...response, message: endOnAbort(response.message, deadline.signal, stop) };
    } catch (err) {
      stop();
      throw err;
    }
  };
}

/** Settles with `work`, or rejects with the signal's reason as soon as it aborts. */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason as Error);
    signal.addEventListener("abort", onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

/**
 * Passes the messages on until `deadline` aborts, then ends the stream with its reason. Only the
 * deadline is raced: cancellation and shutdown keep connect-node's own handling.
 */
async function* endOnAbort<T>(
  messages: AsyncIterable<T>,
  deadline: AbortSignal,
  stop: () => void,
): AsyncGenerator<T> {
  const iterator = messages[Symbol.asyncIterator]();
  let finished = false;
  try {
    for (;;) {
      const next = await untilAborted(iterator.next(), deadline);
      if (next.done) {
        finished = true;
        return;
      }
      yield next.value;
    }
  } catch (err) {
    finished = !deadline.aborted;
    throw err;
  } finally {
    stop();
    // Past the deadline the handler may be stuck in an await: ask it to finish without waiting.
    if (!finished) {
      const returned = iterator.return?.();
      if (deadline.aborted) void returned?.catch(() => undefined);
      else await returned;
    }
  }
}
