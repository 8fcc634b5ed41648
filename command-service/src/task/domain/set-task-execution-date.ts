import {
  bulkCommand,
  named,
  storableDate,
  type BulkCommand,
  type Specification,
} from "@conveyor/specification";
import { taskIsCompleted } from "./task-specifications.ts";
import type { TaskEvent } from "./task.ts";
import type { Task } from "./task-state.ts";

type TaskExecutionDateSet = Extract<TaskEvent, { type: "TaskExecutionDateSet" }>;

/**
 * Sets the execution date, which a completed task can't have set. The one home of that rule: the
 * batch command applies this to one task in memory, the bulk update renders it as SQL.
 */
export function setTaskExecutionDate(
  executionDate: Date,
  ...restrictions: Specification<Task>[]
): BulkCommand<Task, TaskExecutionDateSet> {
  const date = storableDate(executionDate, "execution_date");
  return bulkCommand(
    {
      name: "SetTaskExecutionDate",
      preconditions: [named("the task not to be completed", taskIsCompleted.not())],
      assignments: { executionDate: date },
      event: () => ({ type: "TaskExecutionDateSet", executionDate: date }),
      eventVariesWith: {},
    },
    restrictions,
  );
}
