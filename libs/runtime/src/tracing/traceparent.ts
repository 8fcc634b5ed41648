import { randomFillSync } from "node:crypto";

/** The W3C trace context of one span: which trace it belongs to and its own id. */
export interface TraceContext {
  /** 32 lowercase hex digits, never all zero. */
  traceId: string;
  /** 16 lowercase hex digits, never all zero: the span that the next hop names as its parent. */
  spanId: string;
  /** Bit 0 is "sampled". */
  traceFlags: number;
}

const invalidTraceId = "0".repeat(32);
const invalidSpanId = "0".repeat(16);
// version-traceid-parentid-flags; versions after 00 may append fields, which this reader ignores.
const traceparentPattern = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;

/**
 * Reads a W3C `traceparent` header (https://www.w3.org/TR/trace-context/#traceparent-header).
 * Anything malformed (bad length or case, an all-zero id, version ff, extra fields on version 00)
 * gives undefined: the caller starts a new trace instead of trusting it.
 */
export function parseTraceparent(header: string | null | undefined): TraceContext | undefined {
  if (!header) return undefined;
  const match = traceparentPattern.exec(header.trim());
  if (!match) return undefined;
  const [, version, traceId, spanId, flags, rest] = match as unknown as [
    string,
    string,
    string,
    string,
    string,
    string?,
  ];
  if (version === "ff" || (version === "00" && rest !== undefined)) return undefined;
  if (traceId === invalidTraceId || spanId === invalidSpanId) return undefined;
  return { traceId, spanId, traceFlags: parseInt(flags, 16) };
}

/** The version-00 `traceparent` header naming `context` as the parent. */
export function formatTraceparent(context: TraceContext): string {
  const flags = (context.traceFlags & 0xff).toString(16).padStart(2, "0");
  return `00-${context.traceId}-${context.spanId}-${flags}`;
}

/** A random trace id (16 bytes, hex). */
export function newTraceId(): string {
  return nonZeroHex(16);
}

/** A random span id (8 bytes, hex). */
export function newSpanId(): string {
  return nonZeroHex(8);
}

// One randomFillSync per 512 ids instead of one randomBytes call (tens of microseconds) per id.
const pool = Buffer.alloc(8192);
let poolOffset = pool.length;

function nonZeroHex(bytes: number): string {
  for (;;) {
    if (poolOffset + bytes > pool.length) {
      randomFillSync(pool);
      poolOffset = 0;
    }
    const hex = pool.toString("hex", poolOffset, (poolOffset += bytes));
    if (!/^0+$/.test(hex)) return hex;
  }
}
