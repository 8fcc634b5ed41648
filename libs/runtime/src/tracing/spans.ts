import {
  ProxyTracerProvider,
  isSpanContextValid,
  ROOT_CONTEXT,
  SpanStatusCode,
  trace,
  TraceFlags,
  type Attributes,
  type Span,
  type SpanKind,
} from "@opentelemetry/api";
import { newSpanId, newTraceId, type TraceContext } from "./traceparent.ts";

/** A started span and the trace context that work under it carries. */
export interface StartedSpan {
  trace: TraceContext;
  /** Ends the span, as failed when `error` is given. */
  end(error?: unknown): void;
}

const tracerName = "conveyor";

/**
 * Starts a span under `parent` (a remote parent, e.g. from a `traceparent` header) through
 * @opentelemetry/api. When an OpenTelemetry SDK is registered the span is real and its ids are used;
 * without one the API hands back a no-op span, and the ids are made here: the parent's trace id (or a
 * new one) and a new span id. Either way the returned trace context is valid.
 */
export function startSpan(
  name: string,
  kind: SpanKind,
  parent: TraceContext | undefined,
  attributes: Attributes = {},
  startTime?: Date,
): StartedSpan {
  const parentContext = parent
    ? trace.setSpanContext(ROOT_CONTEXT, { ...parent, isRemote: true })
    : ROOT_CONTEXT;
  const span = trace
    .getTracer(tracerName)
    .startSpan(name, { kind, attributes, ...(startTime && { startTime }) }, parentContext);
  return { trace: traceOf(span, parent), end: (error?: unknown) => endSpan(span, error) };
}

function traceOf(span: Span, parent: TraceContext | undefined): TraceContext {
  const own = span.spanContext();
  // The no-op tracer returns the parent's own context (or an invalid one): no span of ours exists.
  if (isSpanContextValid(own) && own.spanId !== parent?.spanId)
    return { traceId: own.traceId, spanId: own.spanId, traceFlags: own.traceFlags };
  return {
    traceId: parent?.traceId ?? newTraceId(),
    spanId: newSpanId(),
    traceFlags: parent?.traceFlags ?? TraceFlags.SAMPLED,
  };
}

function endSpan(span: Span, error: unknown): void {
  if (error !== undefined) {
    span.setStatus({
      code: SpanStatusCode.ERROR,
      message: error instanceof Error ? error.message : typeof error === "string" ? error : "failed",
    });
  }
  span.end();
}

/** Whether an OpenTelemetry SDK registered a tracer provider, i.e. whether spans go anywhere. */
export function isTracingRegistered(): boolean {
  const provider = trace.getTracerProvider();
  return !(provider instanceof ProxyTracerProvider) || provider.getDelegateTracer(tracerName) !== undefined;
}
