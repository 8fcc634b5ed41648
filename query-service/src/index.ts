export { startQueryService, type RunningService } from "./service.ts";
export { migrateReadDatabase } from "./infra/read-database.ts";
