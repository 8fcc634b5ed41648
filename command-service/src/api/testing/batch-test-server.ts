import type { DataSource } from "typeorm";
import { CommandService } from "@conveyor/proto/conveyor/command/v1/command_service_pb";
import { createLogger, startGrpcServer } from "@conveyor/runtime";
import { createGrpcJsClient, type GrpcJsClient } from "@conveyor/runtime/testing";
import { createWriteDatabase } from "../../../../test/harness/migrated-databases.ts";
import { defaultBatchLimits, type BatchLimits } from "../../batch/batch-limits.ts";
import { openWriteDatabase } from "../../infra/write-database.ts";
import { commandRoutes } from "../command-routes.ts";

/** CommandService on a free port over a fresh write database, with a real grpc-js client. */
export interface BatchTestServer {
  port: number;
  client: GrpcJsClient<typeof CommandService>;
  dataSource: DataSource;
  /** Runs a query on the write database, for assertions. */
  rows<Row>(sql: string, values?: unknown[]): Promise<Row[]>;
  stop(): Promise<void>;
}

export async function startBatchTestServer(
  label: string,
  limits: Partial<BatchLimits> = {},
): Promise<BatchTestServer> {
  const database = await createWriteDatabase(label);
  const dataSource = await openWriteDatabase(database.url, 10);
  const logger = createLogger(label, { LOG_LEVEL: "silent" });
  const server = await startGrpcServer({
    host: "127.0.0.1",
    port: 0,
    routes: commandRoutes({ dataSource, logger, batchLimits: { ...defaultBatchLimits, ...limits } }),
    services: [CommandService],
    logger,
  });
  const client = createGrpcJsClient(CommandService, `127.0.0.1:${server.port}`);
  return {
    port: server.port,
    client,
    dataSource,
    rows: (sql, values) => dataSource.query(sql, values),
    async stop() {
      client.close();
      await server.close();
      await dataSource.destroy();
      await database.drop();
    },
  };
}
