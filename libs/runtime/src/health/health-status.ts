import { EventEmitter, once } from "node:events";
import { HealthCheckResponse_ServingStatus as ServingStatus } from "@conveyor/proto/grpc/health/v1/health_pb";

export { ServingStatus };

/** The serving status behind grpc.health.v1.Health. "" is the whole server. */
export interface HealthStatus {
  /** Sets the status of `service` (registering it if new). Ignored after `shutdown()`. */
  set(service: string, status: ServingStatus): void;
  /** Marks every service NOT_SERVING for good; the server calls it when closing. */
  shutdown(): void;
  /** The status of `service`, or undefined when it is not registered. */
  get(service: string): ServingStatus | undefined;
  /** Every registered service with its status. */
  all(): ReadonlyMap<string, ServingStatus>;
  /**
   * Yields the status of `service` now and again whenever it changes, until `signal` aborts.
   * An unregistered service yields SERVICE_UNKNOWN.
   */
  watch(service: string, signal: AbortSignal): AsyncGenerator<ServingStatus>;
}

/** Creates a health status with every name in `services` SERVING. */
export function createHealthStatus(services: Iterable<string>): HealthStatus {
  const statuses = new Map<string, ServingStatus>();
  for (const service of services) statuses.set(service, ServingStatus.SERVING);
  const changes = new EventEmitter().setMaxListeners(0);
  let shutDown = false;
  const update = (service: string, status: ServingStatus) => {
    statuses.set(service, status);
    changes.emit("change");
  };
  return {
    set(service, status) {
      if (!shutDown) update(service, status);
    },
    shutdown() {
      shutDown = true;
      for (const service of statuses.keys()) update(service, ServingStatus.NOT_SERVING);
    },
    get: (service) => statuses.get(service),
    all: () => statuses,
    watch: (service, signal) =>
      watchStatus(() => statuses.get(service) ?? ServingStatus.SERVICE_UNKNOWN, changes, signal),
  };
}

async function* watchStatus(current: () => ServingStatus, changes: EventEmitter, signal: AbortSignal) {
  let sent: ServingStatus | undefined;
  for (;;) {
    const status = current();
    if (status !== sent) {
      sent = status;
      yield status;
      continue;
    }
    if (signal.aborted) return;
    await nextChange(changes, signal);
  }
}

async function nextChange(changes: EventEmitter, signal: AbortSignal): Promise<void> {
  try {
    await once(changes, "change", { signal });
  } catch (err) {
    if (!signal.aborted) throw err;
  }
}
