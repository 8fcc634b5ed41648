import { randomUUID } from "node:crypto";
import type { CommandService } from "@conveyor/proto/conveyor/command/v1/command_service_pb";
import type { GrpcJsClient } from "@conveyor/runtime/testing";

export interface LoadResult {
  commands: number;
  /** From the first call to the last one sent (the offered rate's window). */
  issueSeconds: number;
  /** From the first call to the last answer (the served rate's window). */
  seconds: number;
  failedBatches: number;
}

/**
 * Sends CreateTask commands at `perSecond`, in BatchExecute calls of `perBatch` commands issued on a
 * fixed schedule (not back to back), for `seconds`. A call still running when the next is due does not
 * delay it: the schedule holds as long as the server keeps up.
 */
export async function sustainedCreateTasks(
  client: GrpcJsClient<typeof CommandService>,
  options: { perSecond: number; perBatch: number; seconds: number; category: string },
): Promise<LoadResult> {
  const intervalMs = (1000 * options.perBatch) / options.perSecond;
  const batches = Math.round((options.seconds * 1000) / intervalMs);
  const started = performance.now();
  const calls: Promise<void>[] = [];
  let failedBatches = 0;
  for (let i = 0; i < batches; i++) {
    const due = started + i * intervalMs;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    calls.push(
      client
        .batchExecute({
          requestId: randomUUID(),
          commands: Array.from({ length: options.perBatch }, (_, j) => ({
            aggregateId: randomUUID(),
            command: {
              case: "createTask",
              value: { title: `load ${i}/${j}`, month: 1 + (j % 12), category: options.category },
            },
          })),
        })
        .then(
          (response) => {
            if (response.failedAggregates > 0) failedBatches++;
          },
          () => {
            failedBatches++;
          },
        ),
    );
  }
  const issueSeconds = (performance.now() - started) / 1000;
  await Promise.all(calls);
  return {
    commands: batches * options.perBatch,
    issueSeconds,
    seconds: (performance.now() - started) / 1000,
    failedBatches,
  };
}
