import type { ClientBase } from "pg";
import type { Logger } from "@conveyor/runtime";
import { readOutboxBacklog, type OutboxBacklog } from "./outbox-table.ts";

/** What a relay reports about itself (exposed by the hardening work as gauges). */
export interface RelayStatsSnapshot {
  leader: boolean;
  /** Events this relay published since it started. */
  published: number;
  /** Batches Kafka did not acknowledge (each is retried). */
  failedSends: number;
  /** Sends of one event larger than the batch byte cap, sent alone (each attempt counts). */
  oversizedSends: number;
  /** The backlog as last measured (rows waiting, age of the oldest), at each stats interval. */
  backlog: OutboxBacklog;
}

export interface RelayStats {
  setLeader(leader: boolean): void;
  published(count: number): void;
  sendFailed(): void;
  oversizedSent(): void;
  /** Measures the backlog and logs it with the publish rate since the previous log. */
  log(db: ClientBase, logger: Logger): Promise<void>;
  snapshot(): RelayStatsSnapshot;
}

export function createRelayStats(): RelayStats {
  const state: RelayStatsSnapshot = {
    leader: false,
    published: 0,
    failedSends: 0,
    oversizedSends: 0,
    backlog: { rows: 0, oldestAgeMs: 0 },
  };
  let previous = { at: performance.now(), published: 0 };
  return {
    setLeader(leader) {
      state.leader = leader;
    },
    published(count) {
      state.published += count;
    },
    sendFailed() {
      state.failedSends += 1;
    },
    oversizedSent() {
      state.oversizedSends += 1;
    },
    async log(db, logger) {
      state.backlog = await readOutboxBacklog(db);
      const now = performance.now();
      const eventsPerSecond = ((state.published - previous.published) * 1000) / (now - previous.at);
      previous = { at: now, published: state.published };
      logger.info(
        {
          backlog: state.backlog.rows,
          oldestAgeMs: Math.round(state.backlog.oldestAgeMs),
          eventsPerSecond: Math.round(eventsPerSecond),
          published: state.published,
        },
        "outbox relay",
      );
    },
    snapshot: () => ({ ...state, backlog: { ...state.backlog } }),
  };
}
