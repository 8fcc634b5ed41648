import { randomUUID } from "node:crypto";
import type { ClientBase } from "pg";

/** A TaskCreated outbox row as command-service writes it (payload in protobuf JSON form). */
export interface TaskCreatedRow {
  eventId: string;
  aggregateId: string;
  title: string;
  traceContext?: string;
}

export function taskCreatedRow(title: string, traceContext = ""): TaskCreatedRow {
  return { eventId: randomUUID(), aggregateId: randomUUID(), title, traceContext };
}

/** Inserts TaskCreated events into the outbox on `db` (inside whatever transaction it is in). */
export async function insertTaskCreated(db: ClientBase, rows: TaskCreatedRow[]): Promise<void> {
  await db.query(
    `INSERT INTO outbox (event_id, aggregate_type, aggregate_id, aggregate_version, event_type, payload,
       correlation_id, causation_id, trace_context)
     SELECT e, 'TASK', a, 1, 'conveyor.events.v1.TaskCreated',
       jsonb_build_object('title', t, 'month', 3, 'category', 'relay-test'), 'req-1', 'req-1/0', tc
     FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[]) AS r(e, a, t, tc)`,
    [
      rows.map((r) => r.eventId),
      rows.map((r) => r.aggregateId),
      rows.map((r) => r.title),
      rows.map((r) => r.traceContext ?? ""),
    ],
  );
}
