import { setTimeout as delay } from "node:timers/promises";
import { status as grpcStatus, type Metadata, type ServiceError } from "@grpc/grpc-js";
import type { AggregateResult } from "@conveyor/proto/conveyor/command/v1/batch_pb";
import { CommandService } from "@conveyor/proto/conveyor/command/v1/command_service_pb";
import { collect, createGrpcJsClient, type GrpcJsClient } from "@conveyor/runtime/testing";
import type { Prng } from "../fuzz/prng.ts";
import type { AggregatePool } from "./aggregate-pool.ts";
import type { LoadLedger } from "./load-ledger.ts";
import { batchRequest, nextBatch, nextBulk, type BatchPlan, type BulkPlan } from "./load-requests.ts";

export interface LoadClientOptions {
  /** command-service "host:port". */
  address: string;
  pool: AggregatePool;
  ledger: LoadLedger;
  prng: Prng;
  /** Metadata for every call (e.g. the bearer token). */
  metadata: () => Metadata;
  /** Share of bulk updates among the requests. */
  bulkShare: number;
}

// Worth the same request again: a batch with the same id replays its stored result instead of running twice.
const retriable = new Set([
  grpcStatus.UNAVAILABLE,
  grpcStatus.DEADLINE_EXCEEDED,
  grpcStatus.ABORTED,
  grpcStatus.RESOURCE_EXHAUSTED,
  grpcStatus.INTERNAL,
  grpcStatus.UNKNOWN,
]);
// The outcome of a bulk update that failed with one of these is unknown (it may have committed).
const inDoubt = new Set([
  grpcStatus.UNAVAILABLE,
  grpcStatus.DEADLINE_EXCEEDED,
  grpcStatus.CANCELLED,
  grpcStatus.INTERNAL,
  grpcStatus.UNKNOWN,
]);
const maxAttempts = 10;
const callTimeoutMs = 60_000;

/** One load client: its own grpc-js channel (own connection), sending one request after another. */
export class LoadClient {
  private readonly client: GrpcJsClient<typeof CommandService>;

  constructor(private readonly options: LoadClientOptions) {
    this.client = createGrpcJsClient(CommandService, options.address, undefined, {
      "grpc.use_local_subchannel_pool": 1,
    });
  }

  /** Sends requests until `until` (a performance.now() instant), then closes the channel. */
  async run(until: number): Promise<void> {
    try {
      while (performance.now() < until) {
        const { prng, pool } = this.options;
        if (prng.chance(this.options.bulkShare)) await this.bulk(nextBulk(prng, pool));
        else await this.batch(nextBatch(prng, pool));
      }
    } finally {
      this.close();
    }
  }

  close(): void {
    this.client.close();
  }

  /** Sends one batch, retrying with the same request id until it has a definite answer. */
  async batch(plan: BatchPlan): Promise<void> {
    const { ledger, pool } = this.options;
    for (let attempt = 1; ; attempt += 1) {
      try {
        const results = await this.execute(plan);
        ledger.batchAnswered(plan, results);
        for (const result of results) {
          const kind = plan.creates.get(result.aggregateId);
          if (result.success && kind) pool.add(result.aggregateId, kind, result.version);
          else pool.observe(result.aggregateId, result.version);
        }
        return;
      } catch (error) {
        const code = codeOf(error);
        if (code === grpcStatus.INTERNAL || code === grpcStatus.UNKNOWN) ledger.figures.internalErrors += 1;
        if (!retriable.has(code)) return ledger.batchRefused(plan, describe(error));
        if (attempt >= maxAttempts) return ledger.unknown(plan.requestId, describe(error), plan);
        ledger.figures.retries += 1;
        await delay(50 * attempt);
      }
    }
  }

  async bulk(plan: BulkPlan): Promise<void> {
    const { ledger } = this.options;
    try {
      const response = await this.client.bulkUpdate(plan.request, this.options.metadata(), this.deadline());
      ledger.bulkAnswered(plan, Number(response.eventsWritten));
    } catch (error) {
      const code = codeOf(error);
      if (code === grpcStatus.INTERNAL || code === grpcStatus.UNKNOWN) ledger.figures.internalErrors += 1;
      const committed = (error as Partial<ServiceError>).metadata?.get("x-conveyor-bulk-events-written")[0];
      if (committed !== undefined) ledger.bulkRefused(plan, Number(committed));
      else if (inDoubt.has(code)) ledger.unknown(plan.request.requestId, describe(error), plan);
      else ledger.bulkRefused(plan, 0);
    }
  }

  private async execute(plan: BatchPlan): Promise<AggregateResult[]> {
    const request = batchRequest(plan);
    if (!plan.streamed) {
      const response = await this.client.batchExecute(request, this.options.metadata(), this.deadline());
      return response.results;
    }
    const messages = await collect(
      this.client.batchExecuteStream(request, this.options.metadata(), this.deadline()),
    );
    if (messages.at(-1)?.message.case !== "summary")
      throw new Error(`${plan.requestId}: stream ended without a summary`);
    // A replayed stream repeats the stored results; the last word per aggregate counts.
    const byAggregate = new Map<string, AggregateResult>();
    for (const { message } of messages)
      if (message.case === "result") byAggregate.set(message.value.aggregateId, message.value);
    return [...byAggregate.values()];
  }

  private deadline() {
    return { deadline: Date.now() + callTimeoutMs };
  }
}

function codeOf(error: unknown): grpcStatus {
  return (error as Partial<ServiceError>).code ?? grpcStatus.UNKNOWN;
}

function describe(error: unknown): string {
  const { code, details } = error as Partial<ServiceError>;
  return code === undefined ? String(error) : `${grpcStatus[code]}: ${details ?? ""}`;
}
