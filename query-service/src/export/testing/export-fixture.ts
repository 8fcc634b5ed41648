import pg from "pg";
import { QueryService } from "@conveyor/proto/conveyor/query/v1/query_service_pb";
import { createLogger, type GrpcServer, startGrpcServer } from "@conveyor/runtime";
import { createGrpcJsClient, type GrpcJsClient } from "@conveyor/runtime/testing";
import type { TestDatabase } from "../../../../test/harness/databases.ts";
import { createReadDatabase } from "../../../../test/harness/migrated-databases.ts";
import { queryRoutes } from "../../api/query-routes.ts";
import { createExportService, EXPORT_APPLICATION_NAME, type ExportService } from "../export-service.ts";
import { type ExportSettings, loadExportSettings } from "../export-settings.ts";

/** A migrated read database, the export routes served on a free port, and a grpc-js client. */
export interface ExportFixture {
  database: TestDatabase;
  /** For seeding and inspecting the read database. */
  pool: pg.Pool;
  service: ExportService;
  server: GrpcServer;
  address: string;
  client: GrpcJsClient<typeof QueryService>;
  /** The export connections' backends in pg_stat_activity, with their state. */
  exportBackends(): Promise<{ state: string; wait_event: string | null }[]>;
  stop(): Promise<void>;
}

export async function startExportFixture(
  label: string,
  settings: Partial<ExportSettings> = {},
): Promise<ExportFixture> {
  const database = await createReadDatabase(label);
  const pool = new pg.Pool({ connectionString: database.url, max: 4 });
  const logger = createLogger(`export-spec-${label}`, { LOG_LEVEL: process.env.LOG_LEVEL ?? "error" });
  const service = createExportService({
    databaseUrl: database.url,
    settings: { ...loadExportSettings({}), ...settings },
    logger,
  });
  const server = await startGrpcServer({
    host: "127.0.0.1",
    port: 0,
    routes: queryRoutes(service.deps),
    services: [QueryService],
    logger,
  });
  const address = `127.0.0.1:${server.port}`;
  const client = createGrpcJsClient(QueryService, address);
  return {
    database,
    pool,
    service,
    server,
    address,
    client,
    async exportBackends() {
      const { rows } = await pool.query<{ state: string; wait_event: string | null }>(
        `SELECT state, wait_event FROM pg_stat_activity WHERE application_name = $1 AND datname = current_database()`,
        [EXPORT_APPLICATION_NAME],
      );
      return rows;
    },
    async stop() {
      client.close();
      await server.close();
      await service.close();
      await pool.end();
      await database.drop();
    },
  };
}

/** Whether no export connection is running a query or holding a transaction (idle pooled ones are fine). */
export async function exportConnectionsReleased(fixture: ExportFixture): Promise<boolean> {
  return (await fixture.exportBackends()).every((backend) => backend.state === "idle");
}
