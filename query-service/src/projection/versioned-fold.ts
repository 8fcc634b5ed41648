import type { EventEnvelope } from "@conveyor/proto/conveyor/events/v1/events_pb";
import { PoisonEvent } from "./poison-event.ts";

/** A read row as the projector keeps it: the aggregate's last applied version and event time. */
export interface VersionedRow {
  version: number;
  lastEventAt: Date;
}

export interface FoldResult<Row> {
  /** Rows that changed, by aggregate id, at their new version. */
  changed: Map<string, Row>;
  /** Events that can never apply, with why. */
  poison: { event: EventEnvelope; reason: string }[];
}

/**
 * Applies events (in arrival order) to the rows they were loaded with. An event at or below a row's
 * version is a redelivery and changes nothing; one that skips a version, or that its handler refuses, is
 * poison, and so is every later event of that aggregate in the batch (they would skip its version).
 */
export function foldEvents<Row extends VersionedRow>(
  loaded: Map<string, Row>,
  events: EventEnvelope[],
  evolve: (row: Row | undefined, event: EventEnvelope) => Row,
): FoldResult<Row> {
  const rows = new Map(loaded);
  const changed = new Map<string, Row>();
  const poison: FoldResult<Row>["poison"] = [];
  for (const event of events) {
    const current = rows.get(event.aggregateId);
    const have = current?.version ?? 0;
    const version = Number(event.aggregateVersion);
    if (version <= have) continue;
    try {
      if (version !== have + 1)
        throw new PoisonEvent(`version gap: the read model is at version ${have}, the event has ${version}`);
      const next = evolve(current, event);
      rows.set(event.aggregateId, next);
      changed.set(event.aggregateId, next);
    } catch (error) {
      if (!(error instanceof PoisonEvent)) throw error;
      poison.push({ event, reason: error.message });
    }
  }
  return { changed, poison };
}
