import type { EventEnvelope } from "@conveyor/proto/conveyor/events/v1/events_pb";
import { requireNoRow, requireRow, requiredDate, stamp, unexpected } from "./event-fields.ts";
import type { VersionedRow } from "./versioned-fold.ts";

/** One row of read_tasks. */
export interface TaskRow extends VersionedRow {
  taskId: string;
  title: string;
  month: number;
  category: string;
  completed: boolean;
  executionDate: Date | null;
}

/** The task row after `event`. Pure. */
export function evolveTaskRow(row: TaskRow | undefined, event: EventEnvelope): TaskRow {
  const { payload } = event;
  switch (payload.case) {
    case "taskCreated":
      requireNoRow(row, event);
      return {
        taskId: event.aggregateId,
        title: payload.value.title,
        month: payload.value.month,
        category: payload.value.category,
        completed: false,
        executionDate: payload.value.executionDate
          ? requiredDate(payload.value.executionDate, "execution_date")
          : null,
        ...stamp(event),
      };
    case "taskCompleted":
      return { ...requireRow(row, event), completed: true, ...stamp(event) };
    case "taskExecutionDateSet":
      return {
        ...requireRow(row, event),
        executionDate: requiredDate(payload.value.executionDate, "execution_date"),
        ...stamp(event),
      };
    default:
      return unexpected(event, "task");
  }
}
