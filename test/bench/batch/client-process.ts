// The batch bench's client in a process of its own (see childProcessClient): started with the server's
// address, it sends each workload the bench asks for over IPC and answers with the wall time and this
// process's CPU time the sending took.
import { CommandService } from "@conveyor/proto/conveyor/command/v1/command_service_pb";
import { createGrpcJsClient } from "@conveyor/runtime/testing";
import { sendBatch, type ClientReport, type ClientRequest } from "./bench-clients.ts";
import { mixedWorkload } from "./workload.ts";

const client = createGrpcJsClient(CommandService, process.argv[2]!);

async function run({ mode, aggregates, perAggregate }: ClientRequest): Promise<ClientReport> {
  const commands = mixedWorkload(aggregates, perAggregate);
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  if (mode === "batched") await sendBatch(client, commands);
  else for (const command of commands) await sendBatch(client, [command]);
  const seconds = (performance.now() - started) / 1000;
  const { user, system } = process.cpuUsage(cpuBefore);
  return { seconds, cpuMs: (user + system) / 1000 };
}

process.on("message", (request: ClientRequest) => {
  run(request).then(
    (report) => process.send!(report),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
});
process.on("disconnect", () => client.close());
