import type { DataSource } from "typeorm";
import { v7 as uuidv7 } from "uuid";
import { ValidationError } from "@conveyor/errors";
import { storableText } from "@conveyor/specification";
import type { BulkUpdateRequest } from "@conveyor/proto/conveyor/command/v1/bulk_pb";
import { bulkLimits } from "../bulk/bulk-limits.ts";
import {
  cancelOrdersInBulk,
  setTaskExecutionDateInBulk,
  suspendUsersInBulk,
} from "../bulk/bulk-operations.ts";
import type { BulkResult } from "../bulk/bulk-result.ts";
import { runBulkUpdate, type BulkUpdateOptions } from "../bulk/bulk-updater.ts";
import { at, toDate } from "./bulk-field-values.ts";
import { orderFilter, taskFilter, userFilter } from "./bulk-aggregate-filters.ts";
import { filterSpecification } from "./bulk-filter-mapping.ts";

/** A validated bulk update, ready to run. */
export interface PreparedBulkUpdate {
  options: BulkUpdateOptions;
  run(db: DataSource): Promise<BulkResult>;
}

/** Validates a BulkUpdate request completely (nothing runs before) and binds it to its operation. */
export function toBulkUpdate(request: BulkUpdateRequest): PreparedBulkUpdate {
  const options = toOptions(request);
  const { operation } = request;
  switch (operation.case) {
    case "setTaskExecutionDate": {
      const date = toDate(operation.value.executionDate, "set_task_execution_date.execution_date");
      const bulk = setTaskExecutionDateInBulk(date, filterSpecification(request.filter, taskFilter));
      return { options, run: (db) => runBulkUpdate(db, bulk, options) };
    }
    case "suspendUsers": {
      const bulk = suspendUsersInBulk(filterSpecification(request.filter, userFilter));
      return { options, run: (db) => runBulkUpdate(db, bulk, options) };
    }
    case "cancelOrders": {
      const restriction = filterSpecification(request.filter, orderFilter);
      const bulk = at("cancel_orders.reason", () => cancelOrdersInBulk(operation.value.reason, restriction));
      return { options, run: (db) => runBulkUpdate(db, bulk, options) };
    }
    case undefined:
      throw new ValidationError(
        "operation",
        "required: set one of set_task_execution_date, suspend_users, cancel_orders",
      );
  }
}

function toOptions(request: BulkUpdateRequest): BulkUpdateOptions {
  const { maxMaxAffected, maxSampleSize, maxRangeSize, maxRangeConcurrency } = bulkLimits;
  const rangeSize = atMost(request.rangeSize, maxRangeSize, "range_size");
  const rangeConcurrency = atMost(request.rangeConcurrency, maxRangeConcurrency, "range_concurrency") || 1;
  if (rangeConcurrency > 1 && rangeSize === 0)
    throw new ValidationError("range_concurrency", "needs range_size: only key ranges run at once");
  return {
    requestId:
      request.requestId === ""
        ? uuidv7()
        : storableText(request.requestId, "request_id", bulkLimits.maxRequestIdLength),
    dryRun: request.dryRun,
    maxAffected: atMost(request.maxAffected, maxMaxAffected, "max_affected") || bulkLimits.defaultMaxAffected,
    sampleSize: atMost(request.sampleSize, maxSampleSize, "sample_size") || bulkLimits.defaultSampleSize,
    rangeSize,
    rangeConcurrency,
  };
}

function atMost(value: number | bigint, limit: number, field: string): number {
  if (value > limit) throw new ValidationError(field, `must be at most ${limit}`);
  return Number(value);
}
