import { describe, expect, it } from "vitest";
import { createMetricsRegistry } from "@conveyor/runtime";
import type { RelayStatsSnapshot } from "@conveyor/messaging";
import { registerOutboxMetrics } from "./outbox-metrics.ts";

function relayStats(overrides: Partial<RelayStatsSnapshot>): RelayStatsSnapshot {
  return {
    leader: true,
    published: 0,
    failedSends: 0,
    oversizedSends: 0,
    backlog: { rows: 0, oldestAgeMs: 0 },
    ...overrides,
  };
}

describe("outbox metrics", () => {
  it("exposes the relay's counters, oversized sends included, as read at each scrape", async () => {
    const registry = createMetricsRegistry();
    let stats = relayStats({ published: 10, failedSends: 1, oversizedSends: 2 });
    registerOutboxMetrics(registry, {
      relayStats: () => stats,
      readBacklog: () => Promise.resolve({ rows: 7, oldestAgeMs: 1500 }),
    });
    const sample = async (name: string) => (await registry.getSingleMetric(name)!.get()).values[0]!.value;

    expect(await sample("conveyor_relay_oversized_sends_total")).toBe(2);
    expect(await sample("conveyor_relay_failed_sends_total")).toBe(1);
    expect(await sample("conveyor_relay_published_total")).toBe(10);
    expect(await sample("conveyor_outbox_backlog_rows")).toBe(7);
    stats = relayStats({ published: 10, failedSends: 3, oversizedSends: 3 });
    expect(await sample("conveyor_relay_oversized_sends_total")).toBe(3);
    expect(await registry.metrics()).toContain("# TYPE conveyor_relay_oversized_sends_total counter");
  });
});
