// The export server as a child process of the benchmark, so its memory can be measured on its own.
// Prints {"port":N} once listening; exits when its stdin closes.
import { QueryService } from "@conveyor/proto/conveyor/query/v1/query_service_pb";
import { createLogger, startGrpcServer } from "@conveyor/runtime";
import { queryRoutes } from "../../../query-service/src/api/query-routes.ts";
import { createExportService } from "../../../query-service/src/export/export-service.ts";
import { loadExportSettings } from "../../../query-service/src/export/export-settings.ts";

const logger = createLogger("bench-export-server", { LOG_LEVEL: "error" });
const service = createExportService({
  databaseUrl: process.env.READ_DATABASE_URL!,
  settings: loadExportSettings(),
  logger,
});
const server = await startGrpcServer({
  host: "127.0.0.1",
  port: 0,
  routes: queryRoutes(service.deps),
  services: [QueryService],
  logger,
});
console.log(JSON.stringify({ port: server.port }));
process.stdin.resume();
process.stdin.on(
  "end",
  () =>
    void server
      .close()
      .then(() => service.close())
      .then(() => process.exit(0)),
);
