import { create } from "@bufbuild/protobuf";
import { Code, ConnectError, type ConnectRouter } from "@connectrpc/connect";
import type { Pool } from "pg";
import { ExportUsersResponseSchema } from "@conveyor/proto/conveyor/query/v1/exports_pb";
import { QueryService } from "@conveyor/proto/conveyor/query/v1/query_service_pb";
import { exportUsers } from "../export/user-export.ts";

const defaultChunkSize = 500;

/** The QueryService routes. */
export function queryRoutes({ pool }: { pool: Pool }) {
  return (router: ConnectRouter) =>
    router.service(QueryService, {
      async *exportUsers(request) {
        const chunkSize = request.options?.chunkSize || defaultChunkSize;
        const afterKey = request.options?.cursor || undefined;
        let rowsSoFar = 0;
        for await (const page of exportUsers(pool, afterKey, chunkSize)) {
          rowsSoFar += page.rows.length;
          yield create(ExportUsersResponseSchema, {
            rows: page.rows,
            progress: { cursor: page.lastKey, rowsSoFar: BigInt(rowsSoFar) },
          });
        }
      },
      // eslint-disable-next-line require-yield
      async *exportOrders() {
        throw new ConnectError("ExportOrders is not implemented yet", Code.Unimplemented);
      },
      // eslint-disable-next-line require-yield
      async *exportTasks() {
        throw new ConnectError("ExportTasks is not implemented yet", Code.Unimplemented);
      },
    });
}
