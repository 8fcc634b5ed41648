import { describe, expect, it } from "vitest";
import { cloudEventHeaders } from "./cloud-events.ts";
import type { OutboxRecord } from "./envelope-codec.ts";

const record: OutboxRecord = {
  id: "7",
  eventId: "0197a000-0000-7000-8000-000000000001",
  aggregateType: "TASK",
  aggregateId: "0197a000-0000-7000-8000-000000000002",
  aggregateVersion: 3,
  eventType: "conveyor.events.v1.TaskCompleted",
  payload: {},
  occurredAt: new Date("2026-03-01T10:00:00.123Z"),
  correlationId: "req",
  causationId: "req/0",
  traceContext: "",
};

describe("CloudEvents headers", () => {
  it("carry the required attributes in Kafka binary mode", () => {
    expect(cloudEventHeaders(record)).toEqual({
      ce_specversion: "1.0",
      ce_id: record.eventId,
      ce_source: "/conveyor/command-service",
      ce_type: "conveyor.events.v1.TaskCompleted",
      ce_time: "2026-03-01T10:00:00.123Z",
      ce_subject: record.aggregateId,
      ce_dataschema: "type.googleapis.com/conveyor.events.v1.EventEnvelope",
      "content-type": "application/protobuf",
    });
  });

  it("pass a valid W3C traceparent on and drop a malformed one", () => {
    const traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    expect(cloudEventHeaders({ ...record, traceContext: traceparent }).traceparent).toBe(traceparent);
    expect(cloudEventHeaders({ ...record, traceContext: "garbage" })).not.toHaveProperty("traceparent");
  });
});
