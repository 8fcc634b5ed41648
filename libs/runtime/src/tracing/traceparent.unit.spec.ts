import { describe, expect, it } from "vitest";
import { formatTraceparent, newSpanId, newTraceId, parseTraceparent } from "./traceparent.ts";

const traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
const spanId = "00f067aa0ba902b7";

describe("parseTraceparent", () => {
  it("reads the example of the W3C recommendation", () => {
    expect(parseTraceparent(`00-${traceId}-${spanId}-01`)).toEqual({ traceId, spanId, traceFlags: 1 });
    expect(parseTraceparent(`00-${traceId}-${spanId}-00`)).toEqual({ traceId, spanId, traceFlags: 0 });
  });

  it("accepts later versions with extra fields, which it ignores", () => {
    expect(parseTraceparent(`01-${traceId}-${spanId}-03-what-comes-next`)).toEqual({
      traceId,
      spanId,
      traceFlags: 3,
    });
  });

  it.each([
    ["absent", undefined],
    ["empty", ""],
    ["version ff", `ff-${traceId}-${spanId}-01`],
    ["extra fields on version 00", `00-${traceId}-${spanId}-01-extra`],
    ["an all-zero trace id", `00-${"0".repeat(32)}-${spanId}-01`],
    ["an all-zero parent id", `00-${traceId}-${"0".repeat(16)}-01`],
    ["upper-case hex", `00-${traceId.toUpperCase()}-${spanId}-01`],
    ["a short trace id", `00-${traceId.slice(1)}-${spanId}-01`],
    ["a long parent id", `00-${traceId}-${spanId}0-01`],
    ["non-hex flags", `00-${traceId}-${spanId}-zz`],
    ["garbage", "hello"],
  ])("refuses %s", (_, header) => {
    expect(parseTraceparent(header)).toBeUndefined();
  });
});

describe("formatTraceparent", () => {
  it("writes version 00 with two-digit flags, which parse back to the same context", () => {
    const header = formatTraceparent({ traceId, spanId, traceFlags: 1 });
    expect(header).toBe(`00-${traceId}-${spanId}-01`);
    expect(parseTraceparent(header)).toEqual({ traceId, spanId, traceFlags: 1 });
  });
});

describe("new ids", () => {
  it("are lower-case hex of the right length and differ from call to call", () => {
    const traceIds = new Set(Array.from({ length: 100 }, newTraceId));
    const spanIds = new Set(Array.from({ length: 100 }, newSpanId));
    expect(traceIds.size).toBe(100);
    expect(spanIds.size).toBe(100);
    for (const id of traceIds) expect(id).toMatch(/^[0-9a-f]{32}$/);
    for (const id of spanIds) expect(id).toMatch(/^[0-9a-f]{16}$/);
    const header = formatTraceparent({ traceId: newTraceId(), spanId: newSpanId(), traceFlags: 1 });
    expect(parseTraceparent(header)).toBeDefined();
  });
});
