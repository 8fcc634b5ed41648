import type { DescMessage } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import type { ConnectRouter, HandlerContext } from "@connectrpc/connect";
import { ValidationError } from "@conveyor/errors";
import {
  type ExportOptions,
  ExportOrderChangesResponseSchema,
  ExportOrdersResponseSchema,
  ExportTaskChangesResponseSchema,
  ExportTasksResponseSchema,
  ExportUserChangesResponseSchema,
  ExportUsersResponseSchema,
  type PlanParallelExportRequest,
} from "@conveyor/proto/conveyor/query/v1/exports_pb";
import { QueryService } from "@conveyor/proto/conveyor/query/v1/query_service_pb";
import { requireAnyPermission, requirePermission } from "@conveyor/runtime";
import type { ExportTable } from "../export/entities/column.ts";
import { orderTable } from "../export/entities/order-table.ts";
import { taskTable } from "../export/entities/task-table.ts";
import { userTable } from "../export/entities/user-table.ts";
import { isByteFormat } from "../export/export-format.ts";
import { type ExportDeps, runExport } from "../export/export-runner.ts";
import type { ExportFilter } from "../export/filters/export-filter.ts";
import { orderFilter } from "../export/filters/order-filter.ts";
import { taskFilter } from "../export/filters/task-filter.ts";
import { userFilter } from "../export/filters/user-filter.ts";
import { planParallelExport } from "../export/parallel/plan-parallel-export.ts";
import { toResponse } from "./export-responses.ts";

/**
 * Export messages are never compressed: for bulk rows, gzip costs more CPU than the transfer it saves
 * on the networks exports run on (see test/bench/export.ts), and connect-node would otherwise compress
 * whenever a client accepts it (grpc-js always does).
 */
const uncompressed = { compressMinBytes: 2 ** 31 - 1 };

/** The QueryService routes over the export engine. */
export function queryRoutes(deps: ExportDeps) {
  const stream = <Desc extends DescMessage>(
    schema: Desc,
    table: ExportTable,
    filter: () => ExportFilter,
    mode: "export" | "changes",
  ) =>
    async function* (request: { options?: ExportOptions }, context: HandlerContext) {
      requirePermission(context, "export", table.kind);
      const options = request.options;
      const shape = { byteFormat: isByteFormat(options?.format ?? 0), json: isJson(context) };
      const messages = runExport(deps, { table, filter: filter(), options, mode, signal: context.signal });
      try {
        for await (const message of messages) yield toResponse(schema, message, shape);
      } catch (error) {
        // Once the call is cancelled or past its deadline, the write errors that follow are echoes.
        throw context.signal.aborted ? context.signal.reason : error;
      }
    };
  return (router: ConnectRouter) =>
    router.service(
      QueryService,
      {
        exportOrders: (request, context) =>
          stream(
            ExportOrdersResponseSchema,
            orderTable,
            () => orderFilter(request.filter),
            "export",
          )(request, context),
        exportTasks: (request, context) =>
          stream(
            ExportTasksResponseSchema,
            taskTable,
            () => taskFilter(request.filter),
            "export",
          )(request, context),
        exportUsers: (request, context) =>
          stream(
            ExportUsersResponseSchema,
            userTable,
            () => userFilter(request.filter),
            "export",
          )(request, context),
        exportOrderChanges: (request, context) =>
          stream(
            ExportOrderChangesResponseSchema,
            orderTable,
            () => orderFilter(request.filter),
            "changes",
          )(request, context),
        exportTaskChanges: (request, context) =>
          stream(
            ExportTaskChangesResponseSchema,
            taskTable,
            () => taskFilter(request.filter),
            "changes",
          )(request, context),
        exportUserChanges: (request, context) =>
          stream(
            ExportUserChangesResponseSchema,
            userTable,
            () => userFilter(request.filter),
            "changes",
          )(request, context),
        async planParallelExport(request, context) {
          requireAnyPermission(context, "export");
          const { table, filter } = planTarget(request);
          requirePermission(context, "export", table.kind);
          const plan = await planParallelExport(deps, {
            table,
            filter,
            parts: request.parts,
            consistencyToken: request.consistencyToken,
            signal: context.signal,
          });
          return {
            ...plan,
            estimatedTotal: BigInt(plan.estimatedTotal),
            startBefore: timestampFromDate(plan.startBefore),
          };
        },
      },
      uncompressed,
    );
}

function planTarget(request: PlanParallelExportRequest): { table: ExportTable; filter: ExportFilter } {
  const { target } = request;
  switch (target.case) {
    case "orders":
      return { table: orderTable, filter: orderFilter(target.value, "orders") };
    case "tasks":
      return { table: taskTable, filter: taskFilter(target.value, "tasks") };
    case "users":
      return { table: userTable, filter: userFilter(target.value, "users") };
    default:
      throw new ValidationError("target", "is required: orders, tasks or users, with its filter");
  }
}

function isJson(context: HandlerContext): boolean {
  return context.requestHeader.get("content-type")?.includes("json") ?? false;
}
