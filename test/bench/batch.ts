import { randomBytes } from "node:crypto";
import { CommandService } from "@conveyor/proto/conveyor/command/v1/command_service_pb";
import type { Command } from "@conveyor/proto/conveyor/command/v1/commands_pb";
import { commandRoutes } from "../../command-service/src/api/command-routes.ts";
import { migrateWriteDatabase, openWriteDatabase } from "../../command-service/src/infra/write-database.ts";
import { createLogger, startGrpcServer } from "@conveyor/runtime";
import { createGrpcJsClient, type GrpcJsClient } from "@conveyor/runtime/testing";
import { benchPostgres } from "./batch/bench-postgres.ts";
import { mixedWorkload } from "./batch/workload.ts";

const aggregates = 100;
const perAggregate = 10;
const batchedRuns = 5;

/**
 * Batch section: 1,000 commands over 100 aggregates in one BatchExecute, against the same kind of
 * commands sent one RPC each, on the same server in the same run. Kafka is not needed: the outbox
 * rows are written, the relay is not started.
 */
export async function run(): Promise<void> {
  const postgres = await benchPostgres();
  const database = await postgres.createDatabase(`bench_batch_${randomBytes(4).toString("hex")}`);
  await migrateWriteDatabase(database.url);
  const dataSource = await openWriteDatabase(database.url, 12);
  const logger = createLogger("bench", { LOG_LEVEL: "warn" });
  const server = await startGrpcServer({
    host: "127.0.0.1",
    port: 0,
    routes: commandRoutes({ dataSource, logger }),
    services: [CommandService],
    logger,
  });
  const client = createGrpcJsClient(CommandService, `127.0.0.1:${server.port}`);
  try {
    await batched(client, mixedWorkload(20, perAggregate)); // warm-up: JIT, pooled connections
    const batchedRates: number[] = [];
    for (let i = 0; i < batchedRuns; i += 1)
      batchedRates.push(await batched(client, mixedWorkload(aggregates, perAggregate)));
    const oneByOneRate = await oneByOne(client, mixedWorkload(aggregates, perAggregate));
    const batchedRate = median(batchedRates);
    console.log(
      `batch: ${aggregates * perAggregate} commands over ${aggregates} aggregates (${postgres.description})`,
    );
    console.log(
      `  batched     ${format(batchedRate)} commands/s (median of ${batchedRuns}: ${batchedRates.map(format).join(", ")})`,
    );
    console.log(
      `  one by one  ${format(oneByOneRate)} commands/s (one BatchExecute RPC per command, sequential)`,
    );
    console.log(
      `  ratio       ${(batchedRate / oneByOneRate).toFixed(1)}x  (targets: 20,000 commands/s batched, >= 10x)`,
    );
  } finally {
    client.close();
    await server.close();
    await dataSource.destroy();
    await database.drop();
    await postgres.stop();
  }
}

async function batched(client: GrpcJsClient<typeof CommandService>, commands: Command[]): Promise<number> {
  const started = performance.now();
  const response = await client.batchExecute({
    requestId: `bench-${randomBytes(8).toString("hex")}`,
    commands,
  });
  const seconds = (performance.now() - started) / 1000;
  if (!response.success)
    throw new Error(
      `bench batch failed: ${JSON.stringify(response.results.find((r) => !r.success)?.errorMessage)}`,
    );
  return commands.length / seconds;
}

async function oneByOne(client: GrpcJsClient<typeof CommandService>, commands: Command[]): Promise<number> {
  const started = performance.now();
  for (const command of commands) {
    const response = await client.batchExecute({
      requestId: `bench-${randomBytes(8).toString("hex")}`,
      commands: [command],
    });
    if (!response.success) throw new Error(`bench command failed: ${response.results[0]?.errorMessage}`);
  }
  return commands.length / ((performance.now() - started) / 1000);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function format(rate: number): string {
  return Math.round(rate).toLocaleString("en-US");
}
