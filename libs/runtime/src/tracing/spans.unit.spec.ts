import {
  INVALID_SPAN_CONTEXT,
  trace,
  type Context,
  type Span,
  type SpanContext,
  type SpanOptions,
  type Tracer,
  type TracerProvider,
} from "@opentelemetry/api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isTracingRegistered, startSpan } from "./spans.ts";
import { newSpanId, type TraceContext } from "./traceparent.ts";

const parent: TraceContext = {
  traceId: "4bf92f3577b34da6a3ce929d0e0e4736",
  spanId: "00f067aa0ba902b7",
  traceFlags: 1,
};

describe("startSpan without an OpenTelemetry SDK", () => {
  it("continues the parent's trace with a span id of its own", () => {
    expect(isTracingRegistered()).toBe(false);
    const span = startSpan("rpc", 1, parent);
    expect(span.trace.traceId).toBe(parent.traceId);
    expect(span.trace.spanId).toMatch(/^[0-9a-f]{16}$/);
    expect(span.trace.spanId).not.toBe(parent.spanId);
    expect(span.trace.traceFlags).toBe(1);
    span.end();
  });

  it("starts a sampled trace without a parent", () => {
    const [first, second] = [startSpan("rpc", 1, undefined), startSpan("rpc", 1, undefined)];
    expect(first.trace.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(first.trace.traceId).not.toBe(second.trace.traceId);
    expect(first.trace.traceFlags).toBe(1);
  });
});

/** A tracer provider recording each span's name, parent, start time and end, with ids of its own. */
function recordingProvider() {
  const started: Array<{
    name: string;
    parent: SpanContext | undefined;
    options: SpanOptions;
    ended: boolean;
  }> = [];
  const tracer: Tracer = {
    startSpan(name: string, options: SpanOptions = {}, context?: Context): Span {
      const record = { name, parent: context && trace.getSpanContext(context), options, ended: false };
      started.push(record);
      const own: SpanContext = {
        traceId: record.parent?.traceId ?? "0af7651916cd43dd8448eb211c80319c",
        spanId: newSpanId(),
        traceFlags: 1,
      };
      const span = trace.wrapSpanContext(own);
      return Object.assign(span, {
        isRecording: () => true,
        end: () => {
          record.ended = true;
        },
      });
    },
    startActiveSpan: () => {
      throw new Error("not used");
    },
  };
  const provider: TracerProvider = { getTracer: () => tracer };
  return { provider, started };
}

describe("startSpan with a registered tracer provider", () => {
  const { provider, started } = recordingProvider();
  beforeAll(() => trace.setGlobalTracerProvider(provider));
  afterAll(() => trace.disable());

  it("makes the SDK's span, under the remote parent, and carries the SDK's ids onward", () => {
    expect(isTracingRegistered()).toBe(true);
    const startTime = new Date(Date.now() - 1000);
    const span = startSpan(
      "project conveyor.users.v1",
      4,
      parent,
      { "messaging.system": "kafka" },
      startTime,
    );
    span.end(new Error("refused"));
    const [record] = started;
    expect(record).toMatchObject({ name: "project conveyor.users.v1", ended: true });
    expect(record?.parent).toMatchObject({ ...parent, isRemote: true });
    expect(record?.options).toMatchObject({
      kind: 4,
      startTime,
      attributes: { "messaging.system": "kafka" },
    });
    expect(span.trace.traceId).toBe(parent.traceId);
    expect(span.trace.spanId).not.toBe(parent.spanId);
    expect(span.trace).not.toEqual(INVALID_SPAN_CONTEXT);
  });
});
