import { Code, type Interceptor } from "@connectrpc/connect";
import { Counter, Histogram, type Registry } from "prom-client";
import { toConnectError } from "../errors/to-connect-error.ts";
import { grpcCodeName } from "./grpc-code-name.ts";

const labelNames = ["grpc_service", "grpc_method", "grpc_type", "grpc_code"] as const;
/** Seconds: from a fast unary call to a long export stream. */
const buckets = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 1800];

/**
 * A server interceptor recording every call in `grpc_server_handled_total` and
 * `grpc_server_handling_seconds` by service, method, type and status code (the names of
 * go-grpc-prometheus, so existing dashboards fit). Server streams are measured to the end of the stream.
 * It sees handler errors before the error interceptor translates them, so it maps them the same way.
 */
export function createRpcMetricsInterceptor(registry: Registry): Interceptor {
  const handled = new Counter({
    name: "grpc_server_handled_total",
    help: "RPCs completed on the server, by status code.",
    labelNames,
    registers: [registry],
  });
  const seconds = new Histogram({
    name: "grpc_server_handling_seconds",
    help: "Time from the call's start to its response (server streams: to the stream's end).",
    labelNames,
    buckets,
    registers: [registry],
  });
  // Label sets are few (methods x codes): bind each once rather than hashing the labels on every call.
  const bound = new Map<string, (seconds: number) => void>();
  const recorder = (labels: Record<(typeof labelNames)[number], string>) => {
    const key = Object.values(labels).join("\n");
    let record = bound.get(key);
    if (!record) {
      const [count, time] = [handled.labels(labels), seconds.labels(labels)];
      record = (elapsed) => {
        count.inc();
        time.observe(elapsed);
      };
      bound.set(key, record);
    }
    return record;
  };
  return (next) => async (request) => {
    const started = performance.now();
    const observe = (outcome: unknown) => {
      const labels = {
        grpc_service: request.service.typeName,
        grpc_method: request.method.name,
        grpc_type: request.method.methodKind,
        grpc_code: codeOf(outcome),
      };
      recorder(labels)((performance.now() - started) / 1000);
    };
    try {
      const response = await next(request);
      if (!response.stream) {
        observe(undefined);
        return response;
      }
      return { ...response, message: observeEnd(response.message, observe) };
    } catch (error) {
      observe(error);
      throw error;
    }
  };
}

const cancelled = Symbol("cancelled");

function codeOf(outcome: unknown): string {
  if (outcome === undefined) return grpcCodeName(undefined);
  if (outcome === cancelled) return grpcCodeName(Code.Canceled);
  return grpcCodeName(toConnectError(outcome).code);
}

async function* observeEnd<T>(
  messages: AsyncIterable<T>,
  observe: (outcome: unknown) => void,
): AsyncGenerator<T> {
  let outcome: unknown = cancelled;
  try {
    yield* messages;
    outcome = undefined;
  } catch (error) {
    outcome = error;
    throw error;
  } finally {
    observe(outcome);
  }
}
