import { randomUUID } from "node:crypto";
import { ConnectError, type Interceptor } from "@connectrpc/connect";
import { SpanKind } from "@opentelemetry/api";
import { bindStream, runInContext, type RequestContext } from "./request-context.ts";
import { startSpan } from "./spans.ts";
import { formatTraceparent, parseTraceparent } from "./traceparent.ts";

/** Response header (W3C Trace Context Level 2) naming the trace and the server span of this call. */
export const TRACE_RESPONSE_HEADER = "traceresponse";
/** Request and response header carrying the call's request id. */
export const REQUEST_ID_HEADER = "x-request-id";

const requestIdPattern = /^[\w.:@/+=-]{1,128}$/;

/**
 * The outermost server interceptor: continues the caller's W3C `traceparent` (or starts a trace), opens
 * a server span (through @opentelemetry/api) that ends with the call or its stream, and runs the call,
 * stream included, inside a request context, so every log line and outbox row of the call carries its
 * ids. The response carries `traceresponse` and `x-request-id` headers (also on errors).
 */
export function createTraceInterceptor(): Interceptor {
  return (next) => async (request) => {
    const span = startSpan(
      `${request.service.typeName}/${request.method.name}`,
      SpanKind.SERVER,
      parseTraceparent(request.header.get("traceparent")),
      {
        "rpc.system": "grpc",
        "rpc.service": request.service.typeName,
        "rpc.method": request.method.name,
      },
    );
    const context: RequestContext = {
      requestId: requestIdOf(request.header.get(REQUEST_ID_HEADER)),
      trace: span.trace,
    };
    const ids: Array<[string, string]> = [
      [TRACE_RESPONSE_HEADER, formatTraceparent(span.trace)],
      [REQUEST_ID_HEADER, context.requestId!],
    ];
    try {
      const response = await runInContext(context, () => next(request));
      for (const [name, value] of ids) response.header.set(name, value);
      if (!response.stream) {
        span.end();
        return response;
      }
      return { ...response, message: bindStream(response.message, context, (outcome) => span.end(outcome)) };
    } catch (error) {
      span.end(error);
      if (error instanceof ConnectError) for (const [name, value] of ids) error.metadata.set(name, value);
      throw error;
    }
  };
}

function requestIdOf(header: string | null): string {
  return header !== null && requestIdPattern.test(header) ? header : randomUUID();
}
