import { fork } from "node:child_process";
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { CommandService } from "@conveyor/proto/conveyor/command/v1/command_service_pb";
import type { Command } from "@conveyor/proto/conveyor/command/v1/commands_pb";
import { createGrpcJsClient, type GrpcJsClient } from "@conveyor/runtime/testing";
import { mixedWorkload } from "./workload.ts";

/** What the bench asks a client to send: the mixed workload, in one batch or one RPC per command. */
export interface ClientRequest {
  mode: "batched" | "one-by-one";
  aggregates: number;
  perAggregate: number;
}

/** What a client in its own process reports: how long sending took and its own CPU time (ms) for it. */
export interface ClientReport {
  seconds: number;
  cpuMs: number;
}

/** A workload ready to go: sending it reports the wall time, and the client's CPU when that is its own process. */
export type PreparedSend = () => Promise<{ seconds: number; clientCpuMs?: number }>;

/** The bench's gRPC client: in the bench's process, or in a process of its own. */
export interface BenchClient {
  /** Where the client runs, for the report. */
  description: string;
  prepare(request: ClientRequest): PreparedSend;
  close(): Promise<void>;
}

/** A grpc-js client in this process: its CPU counts with the service's. */
export function inProcessClient(address: string): BenchClient {
  const client = createGrpcJsClient(CommandService, address);
  return {
    description: "client in the service's process",
    prepare({ mode, aggregates, perAggregate }) {
      const commands = mixedWorkload(aggregates, perAggregate);
      return async () => {
        const started = performance.now();
        if (mode === "batched") await sendBatch(client, commands);
        else for (const command of commands) await sendBatch(client, [command]);
        return { seconds: (performance.now() - started) / 1000 };
      };
    },
    close: () => Promise.resolve(client.close()),
  };
}

/** A grpc-js client in a child process (client-process.ts), as real clients are; it reports its own CPU. */
export function childProcessClient(address: string): BenchClient {
  const child = fork(new URL("client-process.ts", import.meta.url).pathname, [address], {
    execArgv: ["--import", "tsx"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const exited = once(child, "exit");
  return {
    description: "client in a process of its own",
    prepare(request) {
      return async () => {
        const answer = Promise.race([
          once(child, "message") as Promise<[ClientReport]>,
          exited.then(() => Promise.reject(new Error("the bench client process exited"))),
        ]);
        child.send(request);
        const [report] = await answer;
        return { seconds: report.seconds, clientCpuMs: report.cpuMs };
      };
    },
    async close() {
      child.disconnect();
      await exited;
    },
  };
}

/** Sends `commands` in one BatchExecute; throws unless every aggregate succeeded. */
export async function sendBatch(
  client: GrpcJsClient<typeof CommandService>,
  commands: Command[],
): Promise<void> {
  const response = await client.batchExecute({
    requestId: `bench-${randomBytes(8).toString("hex")}`,
    commands,
  });
  if (!response.success)
    throw new Error(`bench batch failed: ${response.results.find((r) => !r.success)?.errorMessage}`);
}
