import { collectDefaultMetrics, Registry } from "prom-client";

/**
 * A fresh Prometheus registry holding the Node.js process metrics (CPU, memory, event-loop lag, GC,
 * handles), to which a service adds its own. One per service instance, never the global one, so two
 * services in one process (tests) keep their series apart.
 */
export function createMetricsRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return registry;
}
