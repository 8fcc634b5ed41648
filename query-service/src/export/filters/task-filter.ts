import { ValidationError } from "@conveyor/errors";
import type { TaskExportFilter } from "@conveyor/proto/conveyor/query/v1/exports_pb";
import { type ExportFilter, exportFilter } from "./export-filter.ts";
import { textLiteral } from "./sql-literal.ts";

/** Validates a task export filter (fields named under `prefix`) and renders it for read_tasks. */
export function taskFilter(filter: TaskExportFilter | undefined, prefix = "filter"): ExportFilter {
  const month = filter?.month ?? 0;
  if (!Number.isInteger(month) || month < 0 || month > 12)
    throw new ValidationError(`${prefix}.month`, "must be 1 to 12, or 0 for any month");
  const category = filter?.category ?? "";
  const completed = filter?.completed;
  const conditions = [
    ...(month > 0 ? [`month = ${month}`] : []),
    ...(category ? [`category = ${textLiteral(category, `${prefix}.category`)}`] : []),
    ...(completed === undefined ? [] : [completed ? "completed" : "NOT completed"]),
  ];
  return exportFilter("tasks", conditions, { month, category, completed });
}
