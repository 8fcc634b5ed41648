import type { EventWire } from "../batch/aggregate-kind.ts";
import type { TaskEvent } from "./domain/task.ts";

// Hand-written protobuf JSON (conveyor.events.v1): building each payload through protobuf-es reflection
// cost several microseconds per event. task-event-payloads.unit.spec.ts checks them against the schemas.

/** Maps a domain event to its protobuf message name and JSON payload (conveyor.events.v1). */
export function taskEventPayload(event: TaskEvent): EventWire {
  const eventType = `conveyor.events.v1.${event.type}`;
  switch (event.type) {
    case "TaskCreated": {
      const { title, month, category, executionDate } = event;
      return {
        eventType,
        payload: {
          title,
          month,
          category,
          ...(executionDate && { executionDate: executionDate.toISOString() }),
        },
      };
    }
    case "TaskCompleted":
      return { eventType, payload: {} };
    case "TaskExecutionDateSet":
      return { eventType, payload: { executionDate: event.executionDate.toISOString() } };
  }
}
