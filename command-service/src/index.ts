export { startCommandService, type RunningService } from "./service.ts";
export { migrateWriteDatabase } from "./infra/write-database.ts";
