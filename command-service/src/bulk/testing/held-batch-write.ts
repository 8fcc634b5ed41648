import { randomUUID } from "node:crypto";
import type { DataSource } from "typeorm";
import type { AggregateKind, AggregateState } from "../../batch/aggregate-kind.ts";
import { withSql } from "../../batch/sql.ts";
import type { OutboxEvent } from "../../outbox/outbox-event.ts";

/** A batch transaction that has written its change and keeps its row lock until `release()`. */
export interface HeldBatchWrite {
  /** Resolves once the change is written (and the row locked). */
  written: Promise<void>;
  release(): void;
  /** Resolves once the transaction committed. */
  committed: Promise<void>;
}

/**
 * Test support: what the batch executor does for one command under a row lock (load locked, decide,
 * evolve, save state and events), with the commit held back so a test can race a bulk update against it.
 */
export function heldBatchWrite<S extends AggregateState, C, E>(
  db: DataSource,
  kind: AggregateKind<S, C, E>,
  id: string,
  command: C,
): HeldBatchWrite {
  let markWritten!: () => void;
  let release!: () => void;
  const written = new Promise<void>((resolve) => (markWritten = resolve));
  const released = new Promise<void>((resolve) => (release = resolve));
  const committed = withSql(db, { transaction: true }, async (sql) => {
    const [before] = await kind.load(sql, [id], true);
    let after = before;
    const events: OutboxEvent[] = [];
    for (const event of kind.decide(before, command, { exists: () => true })) {
      after = kind.evolve(after, id, event);
      events.push(outboxEvent(kind.type, after, kind.wire(event)));
    }
    if (!(await kind.save(sql, [{ before, after: after!, events }])).has(id))
      throw new Error(`${id} moved under its lock`);
    markWritten();
    await released;
  });
  return { written, release, committed };
}

function outboxEvent(
  type: OutboxEvent["aggregateType"],
  state: AggregateState,
  wire: { eventType: string; payload: object },
): OutboxEvent {
  return {
    eventId: randomUUID(),
    aggregateType: type,
    aggregateId: state.id,
    aggregateVersion: state.version,
    ...wire,
    correlationId: "held-batch",
    causationId: "held-batch/0",
  };
}
