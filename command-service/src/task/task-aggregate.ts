import type { AggregateKind } from "../batch/aggregate-kind.ts";
import { decideTask, evolveTask, type TaskCommand, type TaskEvent } from "./domain/task.ts";
import type { Task } from "./domain/task-state.ts";
import { taskEventPayload } from "./task-event-payloads.ts";
import { loadTasks, saveTasks } from "./task-store.ts";

/** The Task aggregate as the batch executor runs it. */
export const taskAggregate: AggregateKind<Task, TaskCommand, TaskEvent> = {
  type: "TASK",
  load: loadTasks,
  decide: (task, command) => decideTask(task, command),
  evolve: evolveTask,
  wire: taskEventPayload,
  save: saveTasks,
  writeError: () => undefined,
  dependencies: () => [],
};
