import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import {
  TaskCompletedSchema,
  TaskCreatedSchema,
  TaskExecutionDateSetSchema,
} from "@conveyor/proto/conveyor/events/v1/events_pb";
import type { EventWire } from "../batch/aggregate-kind.ts";
import { eventWire } from "../batch/event-wire.ts";
import type { TaskEvent } from "./domain/task.ts";

/** Maps a domain event to its protobuf message name and JSON payload (conveyor.events.v1). */
export function taskEventPayload(event: TaskEvent): EventWire {
  switch (event.type) {
    case "TaskCreated":
      return eventWire(TaskCreatedSchema, {
        title: event.title,
        month: event.month,
        category: event.category,
        ...(event.executionDate && { executionDate: timestampFromDate(event.executionDate) }),
      });
    case "TaskCompleted":
      return eventWire(TaskCompletedSchema, {});
    case "TaskExecutionDateSet":
      return eventWire(TaskExecutionDateSetSchema, { executionDate: timestampFromDate(event.executionDate) });
  }
}
