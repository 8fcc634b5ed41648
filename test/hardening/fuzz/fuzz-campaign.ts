import { status as grpcStatus, type Metadata } from "@grpc/grpc-js";
import { frameFinding, frameOutcome, frameSucceeded, knownIssue, type FrameCase } from "./frame-cases.ts";
import type { FuzzTarget, ServiceName } from "./fuzz-targets.ts";
import type { H2Connection } from "./h2-exchange.ts";
import type { CallEnd, RawGrpcClient } from "./raw-grpc-client.ts";
import type { WriteFingerprint } from "./write-fingerprint.ts";

/** One input: bytes for one RPC, and the category it counts under. */
export interface FuzzInput {
  category: string;
  target: FuzzTarget;
  body: Uint8Array;
}

/** Codes that say the server failed rather than refused: each one is a finding to investigate. */
const failureCodes = new Set([
  grpcStatus.INTERNAL,
  grpcStatus.UNKNOWN,
  grpcStatus.DATA_LOSS,
  grpcStatus.DEADLINE_EXCEEDED,
  grpcStatus.CANCELLED,
  grpcStatus.UNAVAILABLE,
]);
// An export that waits for a consistency token the read model never reaches answers UNAVAILABLE by contract.
const documentedUnavailable = /consistency token/;
// connect-es answers a request message that does not parse with INTERNAL "parse binary: ...", before any
// interceptor runs (grpc-go does the same); counted apart, as INTERNAL(parse), and still checked to write nothing.
const unparsable = /^parse binary(:|%3A)/;
const callTimeoutMs = 60_000;
// Tallies that are not inputs of their own.
const bookkeeping = new Set(["known issues", "connection"]);
const frameTimeoutMs = 15_000;

/** Tallies of codes per category, and every finding. */
export class FuzzTally {
  readonly codes = new Map<string, Map<string, number>>();
  readonly findings: string[] = [];
  private readonly milliseconds = new Map<string, number>();

  /** The slowest inputs, for the log: a slow answer is a hint of unbounded work. */
  readonly slowest: Array<{ what: string; ms: number }> = [];

  took(category: string, ms: number, what = category): void {
    this.milliseconds.set(category, (this.milliseconds.get(category) ?? 0) + ms);
    this.slowest.push({ what, ms: Math.round(ms) });
    this.slowest.sort((a, b) => b.ms - a.ms);
    this.slowest.splice(10);
  }

  secondsPerCategory(): Record<string, number> {
    return Object.fromEntries(
      [...this.milliseconds].map(([category, ms]) => [category, Math.round(ms / 100) / 10]),
    );
  }

  count(category: string, outcome: string): void {
    let byOutcome = this.codes.get(category);
    if (!byOutcome) this.codes.set(category, (byOutcome = new Map<string, number>()));
    byOutcome.set(outcome, (byOutcome.get(outcome) ?? 0) + 1);
  }

  inputs(category?: string): number {
    let total = 0;
    for (const [name, byOutcome] of this.codes)
      if (category === undefined ? !bookkeeping.has(name) : name === category)
        for (const n of byOutcome.values()) total += n;
    return total;
  }

  /** "INVALID_ARGUMENT:812 OK:40 ..." per category, for the figures. */
  summary(): Record<string, string> {
    return Object.fromEntries(
      [...this.codes].map(([category, byOutcome]) => [
        category,
        [...byOutcome]
          .sort((a, b) => b[1] - a[1])
          .map(([code, n]) => `${code}:${n}`)
          .join(" "),
      ]),
    );
  }
}

/**
 * Sends inputs one after another to one service and judges each answer: a gRPC status that is not a
 * server failure, and - on command-service - no write at all unless the call succeeded (or was a ranged
 * bulk update that reports the ranges it committed).
 */
export class FuzzLane {
  private fingerprint: string | undefined;

  constructor(
    readonly service: ServiceName,
    private readonly client: RawGrpcClient,
    private readonly metadata: () => Metadata,
    private readonly tally: FuzzTally,
    private readonly writes?: WriteFingerprint,
  ) {}

  async send(input: FuzzInput, label: string): Promise<CallEnd> {
    this.fingerprint ??= await this.writes?.read();
    const started = performance.now();
    const end = await this.client.call(
      input.target.path,
      input.target.method.methodKind,
      input.body,
      this.metadata(),
      callTimeoutMs,
    );
    this.tally.took(
      input.category,
      performance.now() - started,
      `${label} ${input.category} ${input.target.path}`,
    );
    const parseFailure = end.code === grpcStatus.INTERNAL && unparsable.test(end.details);
    this.tally.count(input.category, parseFailure ? "INTERNAL(parse)" : grpcStatus[end.code]);
    if (failureCodes.has(end.code) && !parseFailure && !documentedUnavailable.test(end.details))
      this.tally.findings.push(
        `${label} ${input.category} ${input.target.path}: ${grpcStatus[end.code]} ${end.details} | ${preview(input.body)}`,
      );
    if (this.writes) {
      const after = await this.writes.read();
      if (end.code !== grpcStatus.OK && after !== this.fingerprint && !reportsCommittedRanges(end))
        this.tally.findings.push(
          `${label} ${input.category} ${input.target.path}: refused with ${grpcStatus[end.code]} (${end.details}) but wrote: ${this.fingerprint} -> ${after} | ${preview(input.body)}`,
        );
      this.fingerprint = after;
    }
    return end;
  }

  /** One frame-level input on a hand-made HTTP/2 stream, judged like `send`. */
  async sendFrame(frame: FrameCase, connection: H2Connection, label: string): Promise<void> {
    this.fingerprint ??= await this.writes?.read();
    const started = performance.now();
    const response = await connection.exchange(
      frame.request,
      frame.request.finish === "stall" ? 3_000 : frameTimeoutMs,
    );
    this.tally.took("frames", performance.now() - started, `${label} ${frame.target.path} ${frame.name}`);
    const outcome = frameOutcome(frame, response);
    const known = knownIssue(frame, response);
    if (known) this.tally.count("known issues", known);
    this.tally.count("frames", frame.request.finish === "reset" ? "client reset" : (outcome ?? "no status"));
    const finding = frameFinding(frame, response);
    if (finding) this.tally.findings.push(`${label} frames ${frame.target.path} ${frame.name}: ${finding}`);
    if (this.writes) {
      const after = await this.writes.read();
      if (!frameSucceeded(outcome) && after !== this.fingerprint)
        this.tally.findings.push(
          `${label} frames ${frame.target.path} ${frame.name}: refused (${outcome ?? "no status"}) but wrote: ${this.fingerprint} -> ${after}`,
        );
      this.fingerprint = after;
    }
  }
}

function reportsCommittedRanges(end: CallEnd): boolean {
  const committed = end.trailers.get("x-conveyor-bulk-ranges-committed")[0];
  return committed !== undefined && Number(committed) > 0;
}

/** The first bytes of an input in hex, so a finding can be looked at without rerunning. */
export function preview(bytes: Uint8Array): string {
  const shown = Buffer.from(bytes.subarray(0, 48)).toString("hex");
  return `${bytes.length} bytes: ${shown}${bytes.length > 48 ? "..." : ""}`;
}
