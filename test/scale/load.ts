import { setTimeout as delay } from "node:timers/promises";
import { status as grpcStatus, type ServiceError } from "@grpc/grpc-js";
import { CommandService } from "@conveyor/proto/conveyor/command/v1/command_service_pb";
import type { BatchExecuteResponse } from "@conveyor/proto/conveyor/command/v1/batch_pb";
import type { Command } from "@conveyor/proto/conveyor/command/v1/commands_pb";
import { bearerClientOptions, createGrpcJsClient, type GrpcJsClient } from "@conveyor/runtime/testing";
import { v7 as uuidv7 } from "uuid";
import { Workload } from "./workload.ts";

export interface LoadOptions {
  /** Command-service addresses ("host:port"); batches go round-robin to those that answer. */
  targets: string[];
  /** Batches in flight at once, each worker with aggregates of its own. */
  workers: number;
  /** Attempts per batch (same request id) across targets before it counts as failed. */
  attempts?: number;
  /** Bearer token sent with every batch. */
  token?: string;
}

export interface LoadReport {
  /** Batches confirmed, per target that answered them. */
  confirmed: Map<string, number>;
  /** Commands in confirmed batches. */
  commands: number;
  /** Attempts that failed and were retried with the same request id. */
  retries: number;
  /** Batches that never got a successful response, with the last error. */
  failures: string[];
  /**
   * Batches whose outcome is unknown: the instance running them died after claiming their request id,
   * so a retry is refused (ABORTED) until the claim is old enough to count as abandoned.
   */
  abandoned: string[];
  /** Aggregates of the abandoned batches: their versions are whatever the write model holds. */
  inDoubt: string[];
  /** The consistency token of the batch that completed last. */
  lastConsistencyToken: string;
  /** Every aggregate the load created, with the version its confirmed commands give it. */
  expectedVersions: Map<string, bigint>;
}

export interface Load {
  /** Batches confirmed so far. */
  confirmedBatches(): number;
  /** Lets the batches in flight finish, then reports. */
  stop(): Promise<LoadReport>;
}

// Errors a client should retry with the same request id: the instance died or is busy. (ABORTED, "the
// first attempt is still running", is not: no attempt outlives our 30 s deadline unless its instance died.)
const retriable = new Set([
  grpcStatus.UNAVAILABLE,
  grpcStatus.CANCELLED,
  grpcStatus.DEADLINE_EXCEEDED,
  grpcStatus.INTERNAL,
  grpcStatus.UNKNOWN,
]);

/** Sends batches from `workers` concurrent loops until stopped. */
export function startLoad(options: LoadOptions): Load {
  const clients = options.targets.map((target) => ({
    target,
    client: createGrpcJsClient(
      CommandService,
      target,
      undefined,
      options.token === undefined ? undefined : bearerClientOptions(options.token),
    ),
  }));
  const workloads = Array.from({ length: options.workers }, () => new Workload());
  const report: LoadReport = {
    confirmed: new Map(),
    commands: 0,
    retries: 0,
    failures: [],
    abandoned: [],
    inDoubt: [],
    lastConsistencyToken: "",
    expectedVersions: new Map(),
  };
  let running = true;
  let next = 0;
  const send = async (workload: Workload) => {
    const commands = workload.nextBatch();
    const requestId = uuidv7();
    for (let attempt = 1; ; attempt += 1) {
      const { target, client } = clients[next++ % clients.length]!;
      try {
        const response = await execute(client, requestId, commands);
        workload.confirm(response);
        report.confirmed.set(target, (report.confirmed.get(target) ?? 0) + 1);
        report.commands += commands.length;
        report.lastConsistencyToken = response.consistencyToken;
        return;
      } catch (error) {
        if (codeOf(error) === grpcStatus.ABORTED && attempt > 1) {
          workload.abandon(commands);
          report.abandoned.push(`${requestId}: ${String(error)}`);
          return;
        }
        if (!isRetriable(error) || attempt >= (options.attempts ?? 30)) {
          report.failures.push(`${requestId} via ${target}: ${String(error)}`);
          return;
        }
        report.retries += 1;
        await delay(Math.min(100 * attempt, 1000));
      }
    }
  };
  const loops = workloads.map(async (workload) => {
    while (running) await send(workload);
  });
  return {
    confirmedBatches: () => [...report.confirmed.values()].reduce((sum, count) => sum + count, 0),
    async stop() {
      running = false;
      await Promise.all(loops);
      for (const { client } of clients) client.close();
      for (const workload of workloads) {
        for (const [id, version] of workload.expectedVersions()) report.expectedVersions.set(id, version);
        report.inDoubt.push(...workload.inDoubt());
      }
      return report;
    },
  };
}

function execute(
  client: GrpcJsClient<typeof CommandService>,
  requestId: string,
  commands: Command[],
): Promise<BatchExecuteResponse> {
  return client.batchExecute({ requestId, commands }, undefined, { deadline: Date.now() + 30_000 });
}

function codeOf(error: unknown): grpcStatus | undefined {
  return (error as Partial<ServiceError>).code;
}

function isRetriable(error: unknown): boolean {
  const code = codeOf(error);
  return code !== undefined && retriable.has(code);
}
