import type { ConnectRouter, HandlerContext } from "@connectrpc/connect";
import { CommandService } from "@conveyor/proto/conveyor/command/v1/command_service_pb";
import { QueryService } from "@conveyor/proto/conveyor/query/v1/query_service_pb";

/** What the limits specs' handlers saw: how many ran at once, and why their signals aborted. */
export interface LimitsAppProbe {
  running: number;
  mostRunning: number;
  abortReasons: unknown[];
}

/**
 * Test-only routes driven by the request: BulkUpdate's request id and ExportTasks' category say
 * "hang" (wait for the call's signal), "stuck" (ignore it), "big:N" (answer with N bytes) or
 * anything else (answer at once). ExportTasks sends one small chunk first.
 */
export function limitsAppRoutes(probe: LimitsAppProbe): (router: ConnectRouter) => void {
  const act = async (order: string, context: HandlerContext): Promise<string> => {
    probe.running += 1;
    probe.mostRunning = Math.max(probe.mostRunning, probe.running);
    try {
      if (order === "hang") await aborted(context.signal, probe);
      if (order === "stuck") await new Promise(() => undefined);
      return order.startsWith("big:") ? "x".repeat(Number(order.slice(4))) : order;
    } finally {
      probe.running -= 1;
    }
  };
  return (router) =>
    router
      .service(CommandService, {
        bulkUpdate: async (request, context) => ({ requestId: await act(request.requestId, context) }),
      })
      .service(QueryService, {
        async *exportTasks(request, context) {
          yield { rows: [{ taskId: "first" }] };
          yield { rows: [{ taskId: await act(request.filter?.category ?? "", context) }] };
        },
      });
}

function aborted(signal: AbortSignal, probe: LimitsAppProbe): Promise<never> {
  return new Promise((_resolve, reject) => {
    const onAbort = () => {
      probe.abortReasons.push(signal.reason);
      reject(signal.reason as Error);
    };
    if (signal.aborted) onAbort();
    else signal.addEventListener("abort", onAbort);
  });
}
