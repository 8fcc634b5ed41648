import type { ClientBase } from "pg";
import type { EventEnvelope } from "@conveyor/proto/conveyor/events/v1/events_pb";
import { AggregateType } from "@conveyor/proto/conveyor/types/v1/types_pb";
import { lockCustomers, refreshCustomerOnOrders, refreshCustomerStats } from "./customer-links.ts";
import { evolveOrderRow } from "./order-row.ts";
import { loadOrderRows, saveOrderRows } from "./order-store.ts";
import { evolveTaskRow } from "./task-row.ts";
import { loadTaskRows, saveTaskRows } from "./task-store.ts";
import { evolveUserRow, type UserRow } from "./user-row.ts";
import { loadUserRows, saveUserRows } from "./user-store.ts";
import { foldEvents, type FoldResult } from "./versioned-fold.ts";

export type Rejected = FoldResult<never>["poison"];

/**
 * Applies one aggregate type's events (in partition order) inside the caller's transaction with a fixed
 * number of multi-row statements, whatever the number of events. Returns the events that can never apply.
 */
export function applyEvents(db: ClientBase, type: AggregateType, events: EventEnvelope[]): Promise<Rejected> {
  switch (type) {
    case AggregateType.USER:
      return applyUserEvents(db, events);
    case AggregateType.ORDER:
      return applyOrderEvents(db, events);
    case AggregateType.TASK:
      return applyTaskEvents(db, events);
    default:
      throw new Error(`no projection for aggregate type ${type}`);
  }
}

async function applyTaskEvents(db: ClientBase, events: EventEnvelope[]): Promise<Rejected> {
  const { changed, poison } = foldEvents(await loadTaskRows(db, idsOf(events)), events, evolveTaskRow);
  await saveTaskRows(db, [...changed.values()]);
  return poison;
}

async function applyUserEvents(db: ClientBase, events: EventEnvelope[]): Promise<Rejected> {
  const ids = idsOf(events);
  await lockCustomers(db, ids);
  const loaded = await loadUserRows(db, ids);
  const { changed, poison } = foldEvents(loaded, events, evolveUserRow);
  await saveUserRows(db, [...changed.values()]);
  const created = [...changed.keys()].filter((id) => !loaded.has(id));
  const renamed = [...changed.values()].filter((row) => nameOrEmailChanged(loaded.get(row.userId), row));
  await refreshCustomerOnOrders(
    db,
    renamed.map((row) => row.userId),
  );
  await refreshCustomerStats(db, created);
  return poison;
}

function nameOrEmailChanged(before: UserRow | undefined, after: UserRow): boolean {
  return (
    !before ||
    before.email !== after.email ||
    before.firstName !== after.firstName ||
    before.lastName !== after.lastName
  );
}

async function applyOrderEvents(db: ClientBase, events: EventEnvelope[]): Promise<Rejected> {
  const loaded = await loadOrderRows(db, idsOf(events));
  const placedFor = events.flatMap((e) =>
    e.payload.case === "orderPlaced" ? [e.payload.value.customerId] : [],
  );
  const customers = new Set([...placedFor, ...[...loaded.values()].map((row) => row.customerId)]);
  await lockCustomers(db, customers);
  const { changed, poison } = foldEvents(loaded, events, evolveOrderRow);
  await saveOrderRows(db, [...changed.values()]);
  await refreshCustomerStats(db, [...new Set([...changed.values()].map((row) => row.customerId))]);
  return poison;
}

function idsOf(events: EventEnvelope[]): string[] {
  return [...new Set(events.map((event) => event.aggregateId))];
}
