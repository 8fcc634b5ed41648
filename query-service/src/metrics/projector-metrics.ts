import { observedCounter, observedGauge, observedGaugeByLabels, type Registry } from "@conveyor/runtime";
import type { ProjectorStatsSnapshot } from "../projection/projector-stats.ts";

/** The projector's metrics, read from its stats when Prometheus scrapes. */
export function registerProjectorMetrics(registry: Registry, stats: () => ProjectorStatsSnapshot): void {
  observedGaugeByLabels(
    registry,
    "conveyor_projector_consumer_lag",
    "Messages behind the partition's high watermark, as of this instance's last batch on it.",
    ["topic", "partition"] as const,
    () =>
      Object.entries(stats().lagByPartition).map(([key, value]) => {
        const slash = key.lastIndexOf("/");
        return { labels: { topic: key.slice(0, slash), partition: key.slice(slash + 1) }, value };
      }),
  );
  observedCounter(
    registry,
    "conveyor_projector_events_applied_total",
    "Events the projector applied (redeliveries included, as no-ops).",
    () => stats().applied,
  );
  observedCounter(
    registry,
    "conveyor_projector_events_dead_lettered_total",
    "Events the projector could not apply and sent to the dead-letter topic.",
    () => stats().deadLettered,
  );
  observedGauge(
    registry,
    "conveyor_projector_waiting_for_database",
    "1 while the read database is unreachable and consumption waits, else 0.",
    () => (stats().waitingForDatabase ? 1 : 0),
  );
}
