import { timestampDate } from "@bufbuild/protobuf/wkt";
import { ValidationError } from "@conveyor/errors";
import type { OrderExportFilter } from "@conveyor/proto/conveyor/query/v1/exports_pb";
import { OrderStatus } from "@conveyor/proto/conveyor/types/v1/types_pb";
import { type ExportFilter, exportFilter, inList, statusNames } from "./export-filter.ts";
import { timestampLiteral, uuidLiteral } from "./sql-literal.ts";

/** Validates an order export filter (fields named under `prefix`) and renders it for read_orders. */
export function orderFilter(filter: OrderExportFilter | undefined, prefix = "filter"): ExportFilter {
  const from = filter?.placedFrom ? timestampDate(filter.placedFrom) : undefined;
  const to = filter?.placedTo ? timestampDate(filter.placedTo) : undefined;
  if (from && to && from >= to) throw new ValidationError(`${prefix}.placed_to`, "must be after placed_from");
  const statuses = statusNames(filter?.statuses ?? [], OrderStatus, `${prefix}.statuses`);
  const customerId = filter?.customerId ? filter.customerId.toLowerCase() : undefined;
  const conditions = [
    ...(from ? [`order_date >= ${timestampLiteral(from)}`] : []),
    ...(to ? [`order_date < ${timestampLiteral(to)}`] : []),
    ...inList("status", statuses, `${prefix}.statuses`),
    ...(customerId ? [`customer_id = ${uuidLiteral(customerId, `${prefix}.customer_id`)}`] : []),
  ];
  return exportFilter("orders", conditions, {
    from: from?.toISOString(),
    to: to?.toISOString(),
    statuses,
    customerId,
  });
}
