import { Code, ConnectError, type ConnectRouter } from "@connectrpc/connect";
import { Health } from "@conveyor/proto/grpc/health/v1/health_pb";
import type { HealthStatus } from "./health-status.ts";

/** Routes serving grpc.health.v1.Health (Check, Watch, List) from `health`. */
export function healthRoutes(health: HealthStatus): (router: ConnectRouter) => void {
  return (router) =>
    router.service(Health, {
      check(request) {
        const status = health.get(request.service);
        if (status === undefined)
          throw new ConnectError(`unknown service "${shortened(request.service)}"`, Code.NotFound);
        return { status };
      },
      async *watch(request, context) {
        for await (const status of health.watch(request.service, context.signal)) yield { status };
      },
      list() {
        const statuses = Object.fromEntries(
          [...health.all()].map(([service, status]) => [service, { status }]),
        );
        return { statuses };
      },
    });
}

// The name is echoed in the grpc-message trailer: a huge one made the trailers exceed HTTP/2's header
// list limit, so the stream was reset without a status (found by the bad-input fuzzer).
function shortened(name: string): string {
  return name.length > 200 ? `${name.slice(0, 200)}... (${name.length} characters)` : name;
}
