import { Code, ConnectError, type ServiceImpl } from "@connectrpc/connect";
import type { CommandService } from "@conveyor/proto/conveyor/command/v1/command_service_pb";
import type { CommandRoutesDeps } from "./command-routes.ts";

/** BulkUpdate. */
export function bulkUpdateHandler(_deps: CommandRoutesDeps): ServiceImpl<typeof CommandService>["bulkUpdate"] {
  return () => {
    throw new ConnectError("BulkUpdate is not implemented yet", Code.Unimplemented);
  };
}
