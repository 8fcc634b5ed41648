import { AsyncLocalStorage } from "node:async_hooks";
import { formatTraceparent, type TraceContext } from "./traceparent.ts";

/** What is known about the request (or the projected events) the current code works for. */
export interface RequestContext {
  /** The RPC's id: the caller's `x-request-id`, else a fresh UUID. Absent outside RPCs. */
  requestId?: string;
  /** The client's request_id of a BatchExecute(Stream) or BulkUpdate, once the handler read it. */
  batchId?: string;
  /** The span this work belongs to: its trace id, and its own span id as the parent of what it causes. */
  trace: TraceContext;
}

const storage = new AsyncLocalStorage<RequestContext>();

/** Runs `work` (and everything it awaits or schedules) inside `context`. */
export function runInContext<T>(context: RequestContext, work: () => T): T {
  return storage.run(context, work);
}

/** The context of the request being served, if any. */
export function currentContext(): RequestContext | undefined {
  return storage.getStore();
}

/** The `traceparent` that work caused by the current request carries onward (e.g. outbox rows); "" outside one. */
export function currentTraceparent(): string {
  const context = storage.getStore();
  return context ? formatTraceparent(context.trace) : "";
}

/** Records the client's batch (or bulk) request id for the rest of the current request's log lines. */
export function setBatchId(batchId: string): void {
  const context = storage.getStore();
  if (context) context.batchId = batchId;
}

/** The ids every log line written for the current request carries (a pino mixin). */
export function logFields(): Record<string, string> {
  const context = storage.getStore();
  if (!context) return {};
  const fields: Record<string, string> = { traceId: context.trace.traceId, spanId: context.trace.spanId };
  if (context.requestId !== undefined) fields.requestId = context.requestId;
  if (context.batchId !== undefined) fields.batchId = context.batchId;
  return fields;
}

/**
 * `messages` iterated inside `context`: a server-streaming handler's generator runs its body on each
 * `next()`, which the transport calls from outside the request's async context. `onEnd` hears how
 * the stream ended: undefined when it completed, the error when it failed, "cancelled" when the
 * consumer stopped early.
 */
export function bindStream<T>(
  messages: AsyncIterable<T>,
  context: RequestContext,
  onEnd: (outcome: unknown) => void,
): AsyncIterable<T> {
  return {
    [Symbol.asyncIterator]() {
      const iterator = runInContext(context, () => messages[Symbol.asyncIterator]());
      let ended = false;
      const end = (outcome: unknown) => {
        if (ended) return;
        ended = true;
        onEnd(outcome);
      };
      return {
        async next() {
          try {
            const result = await runInContext(context, () => iterator.next());
            if (result.done) end(undefined);
            return result;
          } catch (error) {
            end(error);
            throw error;
          }
        },
        async return(value?: unknown) {
          end("cancelled");
          const result = await runInContext(context, () => iterator.return?.(value));
          return result ?? { done: true, value: undefined };
        },
        async throw(error?: unknown) {
          end(error);
          if (!iterator.throw) throw error;
          return runInContext(context, () => iterator.throw!(error));
        },
      };
    },
  };
}
