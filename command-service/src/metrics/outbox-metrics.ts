import type { OutboxBacklog, RelayStatsSnapshot } from "@conveyor/messaging";
import { observedCounter, observedGauge, type Registry } from "@conveyor/runtime";

export interface OutboxMetricSources {
  /** The relay's own counters and leadership. */
  relayStats: () => RelayStatsSnapshot;
  /** The backlog measured now (a query on the outbox table). */
  readBacklog: () => Promise<OutboxBacklog>;
}

/**
 * The outbox and relay metrics, read when Prometheus scrapes. The backlog is measured at each scrape,
 * on every instance (not only the relay leader), so it is current wherever it is read; the last good
 * measurement stands while the database is unreachable.
 */
export function registerOutboxMetrics(registry: Registry, sources: OutboxMetricSources): void {
  let backlog: OutboxBacklog = { rows: 0, oldestAgeMs: 0 };
  let measuring: Promise<OutboxBacklog> | undefined;
  // Both backlog gauges are collected in one scrape: one query serves them.
  const measure = async () => {
    measuring ??= sources.readBacklog().finally(() => {
      measuring = undefined;
    });
    backlog = await measuring.catch(() => backlog);
    return backlog;
  };
  observedGauge(
    registry,
    "conveyor_outbox_backlog_rows",
    "Outbox rows not yet published to Kafka.",
    async () => (await measure()).rows,
  );
  observedGauge(
    registry,
    "conveyor_outbox_oldest_age_seconds",
    "Age of the oldest unpublished outbox row (0 when the outbox is empty).",
    async () => (await measure()).oldestAgeMs / 1000,
  );
  observedGauge(
    registry,
    "conveyor_relay_leader",
    "1 while this instance's outbox relay is the leader that publishes, else 0.",
    () => (sources.relayStats().leader ? 1 : 0),
  );
  observedCounter(
    registry,
    "conveyor_relay_published_total",
    "Events this instance's relay published to Kafka (acknowledged).",
    () => sources.relayStats().published,
  );
  observedCounter(
    registry,
    "conveyor_relay_failed_sends_total",
    "Relay sends Kafka did not acknowledge (each round is retried whole).",
    () => sources.relayStats().failedSends,
  );
  observedCounter(
    registry,
    "conveyor_relay_oversized_sends_total",
    "Relay sends of one event larger than the per-partition batch byte cap (RELAY_MAX_BATCH_BYTES), sent alone.",
    () => sources.relayStats().oversizedSends,
  );
}
