import type { Logger } from "@conveyor/runtime";

/** What the projector reports about itself (exposed by the hardening work as gauges). */
export interface ProjectorStatsSnapshot {
  /** Events applied since start (redeliveries included, as no-ops). */
  applied: number;
  deadLettered: number;
  /** Messages behind the partitions' high watermarks, per "topic/partition", as of each one's last batch. */
  lagByPartition: Record<string, number>;
  lag: number;
  /** True while the read database is unreachable and consumption waits. */
  waitingForDatabase: boolean;
}

export interface ProjectorStats {
  batchApplied(topic: string, partition: number, events: number, deadLettered: number, lag: number): void;
  setWaitingForDatabase(waiting: boolean): void;
  log(logger: Logger): void;
  snapshot(): ProjectorStatsSnapshot;
}

export function createProjectorStats(): ProjectorStats {
  const state = {
    applied: 0,
    deadLettered: 0,
    lagByPartition: {} as Record<string, number>,
    waitingForDatabase: false,
  };
  let previous = { at: performance.now(), applied: 0 };
  const snapshot = (): ProjectorStatsSnapshot => ({
    ...state,
    lagByPartition: { ...state.lagByPartition },
    lag: Object.values(state.lagByPartition).reduce((sum, lag) => sum + lag, 0),
  });
  return {
    batchApplied(topic, partition, events, deadLettered, lag) {
      state.applied += events;
      state.deadLettered += deadLettered;
      state.lagByPartition[`${topic}/${partition}`] = lag;
    },
    setWaitingForDatabase(waiting) {
      state.waitingForDatabase = waiting;
    },
    log(logger) {
      const now = performance.now();
      const eventsPerSecond = ((state.applied - previous.applied) * 1000) / (now - previous.at);
      previous = { at: now, applied: state.applied };
      const { lag, applied, deadLettered, waitingForDatabase } = snapshot();
      logger.info(
        { lag, eventsPerSecond: Math.round(eventsPerSecond), applied, deadLettered, waitingForDatabase },
        "projector",
      );
    },
    snapshot,
  };
}
