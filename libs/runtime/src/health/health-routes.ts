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
          throw new ConnectError(`unknown service "${request.service}"`, Code.NotFound);
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
