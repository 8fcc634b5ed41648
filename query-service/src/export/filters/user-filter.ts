import type { UserExportFilter } from "@conveyor/proto/conveyor/query/v1/exports_pb";
import { UserStatus } from "@conveyor/proto/conveyor/types/v1/types_pb";
import { type ExportFilter, exportFilter, inList, statusNames } from "./export-filter.ts";

/** Validates a user export filter (fields named under `prefix`) and renders it for read_users. */
export function userFilter(filter: UserExportFilter | undefined, prefix = "filter"): ExportFilter {
  const statuses = statusNames(filter?.statuses ?? [], UserStatus, `${prefix}.statuses`);
  return exportFilter("users", inList("status", statuses, `${prefix}.statuses`), { statuses });
}
