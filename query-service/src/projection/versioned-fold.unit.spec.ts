import { describe, expect, it } from "vitest";
import { decodeEnvelope } from "@conveyor/messaging";
import type { Message } from "kafkajs";
import {
  newId,
  orderItemAdded,
  orderPlaced,
  orderCancelled,
  taskCompleted,
  taskCreated,
} from "./testing/event-messages.ts";
import { evolveOrderRow, type OrderRow } from "./order-row.ts";
import { evolveTaskRow, type TaskRow } from "./task-row.ts";
import { foldEvents } from "./versioned-fold.ts";

const envelope = (message: Message) => decodeEnvelope(message.value as Buffer);

describe("folding events into read rows", () => {
  it("applies events in version order and counts lines and money exactly", () => {
    const id = newId();
    const events = [
      orderPlaced(id, newId(), [
        { quantity: 2, unitPriceMinor: 9_007_199_254_740_993n },
        { quantity: 1, unitPriceMinor: 1n },
      ]),
      orderItemAdded(id, 2, 3, 5n),
      orderCancelled(id, 3),
    ].map(envelope);
    const { changed, poison } = foldEvents(new Map<string, OrderRow>(), events, evolveOrderRow);
    expect(poison).toEqual([]);
    expect(changed.get(id)).toMatchObject({
      itemCount: 3,
      totalMinor: 18_014_398_509_481_987n + 15n,
      status: "CANCELLED",
      version: 3,
    });
  });

  it("ignores an event at or below the row's version (a redelivery)", () => {
    const id = newId();
    const [created, completed] = [taskCreated(id, "t"), taskCompleted(id, 2)].map(envelope);
    const first = foldEvents(new Map<string, TaskRow>(), [created!, completed!], evolveTaskRow);
    const again = foldEvents(first.changed, [created!, completed!], evolveTaskRow);
    expect(again).toEqual({ changed: new Map(), poison: [] });
  });

  it("refuses an event that skips a version, and every later event of that aggregate in the batch", () => {
    const id = newId();
    const events = [taskCreated(id, "t"), taskCompleted(id, 3), taskCompleted(id, 4)].map(envelope);
    const { changed, poison } = foldEvents(new Map<string, TaskRow>(), events, evolveTaskRow);
    expect(changed.get(id)?.version).toBe(1);
    expect(poison.map((p) => p.reason)).toEqual([
      "version gap: the read model is at version 1, the event has 3",
      "version gap: the read model is at version 1, the event has 4",
    ]);
  });

  it("refuses a creating event for a row that exists and a change for one that was never created", () => {
    const id = newId();
    const existing = foldEvents(
      new Map<string, TaskRow>(),
      [envelope(taskCreated(id, "t"))],
      evolveTaskRow,
    ).changed;
    const recreated = { ...envelope(taskCreated(id, "again")), aggregateVersion: 2n };
    expect(foldEvents(existing, [recreated], evolveTaskRow).poison[0]?.reason).toMatch(/already exists/);
    const orphan = { ...envelope(taskCompleted(newId(), 2)), aggregateVersion: 1n };
    expect(foldEvents(new Map<string, TaskRow>(), [orphan], evolveTaskRow).poison[0]?.reason).toMatch(
      /never created/,
    );
  });

  it("refuses an event of another aggregate type", () => {
    const wrong = { ...envelope(orderPlaced(newId(), newId(), [{ quantity: 1, unitPriceMinor: 1n }])) };
    expect(foldEvents(new Map<string, TaskRow>(), [wrong], evolveTaskRow).poison[0]?.reason).toMatch(
      /OrderPlaced is not a task event/,
    );
  });
});
