import { describe, expect, it } from "vitest";
import type { OutboxEvent } from "../outbox/outbox-event.ts";
import { outboxParams } from "./outbox-insert.ts";

const event = (overrides: Partial<OutboxEvent> = {}): OutboxEvent => ({
  eventId: "0193a000-0000-7000-8000-000000000001",
  aggregateType: "TASK",
  aggregateId: "0193a000-0000-7000-8000-0000000000aa",
  aggregateVersion: 1,
  eventType: "conveyor.events.v1.TaskCreated",
  payload: { taskId: "0193a000-0000-7000-8000-0000000000aa", title: "t" },
  correlationId: "request-1",
  causationId: "request-1/0",
  ...overrides,
});

describe("outboxParams", () => {
  it("passes what all events share once, and each event's own fields under one-letter keys", () => {
    const second = event({ eventId: "0193a000-0000-7000-8000-000000000002", aggregateVersion: 2 });
    const [events, aggregateType, correlationId, traceparent] = outboxParams([event(), second]);
    expect([aggregateType, correlationId, traceparent]).toEqual(["TASK", "request-1", ""]);
    expect(JSON.parse(events)).toEqual([
      {
        i: event().eventId,
        a: event().aggregateId,
        v: 1,
        t: "conveyor.events.v1.TaskCreated",
        p: event().payload,
        c: "request-1/0",
      },
      expect.objectContaining({ i: second.eventId, v: 2 }),
    ]);
  });

  it("refuses events of two aggregate types or two requests in one statement", () => {
    expect(() => outboxParams([event(), event({ aggregateType: "USER" })])).toThrow(/share/);
    expect(() => outboxParams([event(), event({ correlationId: "request-2" })])).toThrow(/share/);
  });
});
