import { describe, expect, it } from "vitest";
import { create, fromJson, type DescMessage, type JsonValue } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { EventEnvelopeSchema } from "@conveyor/proto/conveyor/events/v1/events_pb";
import type { TaskEvent } from "./domain/task.ts";
import { taskEventPayload } from "./task-event-payloads.ts";

const schemaOf = (eventType: string): DescMessage =>
  EventEnvelopeSchema.fields.find((field) => field.message?.typeName === eventType)!.message!;
const date = new Date("2026-03-01T09:00:00.5Z");

describe("task event payloads", () => {
  it.each<[TaskEvent, Record<string, unknown>]>([
    [
      { type: "TaskCreated", title: "T", month: 3, category: "ops", executionDate: date },
      { title: "T", month: 3, category: "ops", executionDate: timestampFromDate(date) },
    ],
    [
      { type: "TaskCreated", title: "T", month: 12, category: "ops", executionDate: null },
      { title: "T", month: 12, category: "ops" },
    ],
    [{ type: "TaskCompleted" }, {}],
    [{ type: "TaskExecutionDateSet", executionDate: date }, { executionDate: timestampFromDate(date) }],
  ])("parse as their conveyor.events.v1 message: %o", (event, expected) => {
    const { eventType, payload } = taskEventPayload(event);
    const schema = schemaOf(eventType);
    expect(schema.typeName).toBe(`conveyor.events.v1.${event.type}`);
    expect(fromJson(schema, payload as JsonValue)).toEqual(create(schema, expected));
  });
});
