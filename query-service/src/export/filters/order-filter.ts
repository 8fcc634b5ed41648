import { timestampDate, type Timestamp } from "@bufbuild/protobuf/wkt";
import { ValidationError } from "@conveyor/errors";
import type { OrderExportFilter } from "@conveyor/proto/conveyor/query/v1/exports_pb";
import { OrderStatus } from "@conveyor/proto/conveyor/types/v1/types_pb";
import { type ExportFilter, exportFilter, inList, statusNames } from "./export-filter.ts";
import { timestampLiteral, uuidLiteral } from "./sql-literal.ts";

/** Validates an order export filter (fields named under `prefix`) and renders it for read_orders. */
export function orderFilter(filter: OrderExportFilter | undefined, prefix = "filter"): ExportFilter {
  const from = instant(filter?.placedFrom, `${prefix}.placed_from`);
  const to = instant(filter?.placedTo, `${prefix}.placed_to`);
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

const earliest = Date.parse("0001-01-01T00:00:00Z");
const latest = Date.parse("9999-12-31T23:59:59.999Z");

// timestamptz has no instant outside years 1 to 9999, and far outside them a Date has no time at all
// (toISOString would throw): both are bad input, not a server failure.
function instant(timestamp: Timestamp | undefined, field: string): Date | undefined {
  if (!timestamp) return undefined;
  const date = timestampDate(timestamp);
  if (!(date.getTime() >= earliest && date.getTime() <= latest))
    throw new ValidationError(field, "must be a date between years 1 and 9999");
  return date;
}
