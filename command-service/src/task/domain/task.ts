import { AlreadyExistsError, InvariantViolation, NotFoundError } from "@conveyor/errors";
import { setTaskExecutionDate } from "./set-task-execution-date.ts";
import type { Task } from "./task-state.ts";

export type TaskCommand =
  | { type: "CreateTask"; title: string; month: number; category: string; executionDate: Date | null }
  | { type: "CompleteTask" }
  | { type: "SetTaskExecutionDate"; executionDate: Date };

export type TaskEvent =
  | { type: "TaskCreated"; title: string; month: number; category: string; executionDate: Date | null }
  | { type: "TaskCompleted" }
  | { type: "TaskExecutionDateSet"; executionDate: Date };

/** Decides the events a command produces (none when it changes nothing), or throws why it can't apply. Pure. */
export function decideTask(task: Task | undefined, command: TaskCommand): TaskEvent[] {
  if (command.type === "CreateTask") {
    if (task) throw new AlreadyExistsError(`task ${task.id} already exists`);
    checkMonth(command.month);
    const title = required(command.title, "title");
    const category = required(command.category, "category");
    if (command.executionDate) checkDate(command.executionDate);
    return [
      { type: "TaskCreated", title, month: command.month, category, executionDate: command.executionDate },
    ];
  }
  if (!task) throw new NotFoundError("task does not exist");
  switch (command.type) {
    case "CompleteTask":
      if (task.completed) throw new InvariantViolation(`task ${task.id} is already completed`);
      return [{ type: "TaskCompleted" }];
    case "SetTaskExecutionDate": {
      // The bulk operation is the one home of "an execution date can't be set on a completed task".
      checkDate(command.executionDate);
      const execution = setExecutionDate(command.executionDate).execute(task);
      return execution.changed ? [execution.event] : [];
    }
  }
}

/** Applies an event to the state; every event bumps the version by one. Pure. */
export function evolveTask(task: Task | undefined, id: string, event: TaskEvent): Task {
  const version = (task?.version ?? 0) + 1;
  switch (event.type) {
    case "TaskCreated":
      return {
        id,
        title: event.title,
        month: event.month,
        category: event.category,
        executionDate: event.executionDate,
        completed: false,
        version,
      };
    case "TaskCompleted":
      return { ...existing(task), completed: true, version };
    case "TaskExecutionDateSet":
      return { ...existing(task), executionDate: event.executionDate, version };
  }
}

// Building the bulk command costs far more than applying it, and a batch tends to reuse a few dates.
const setExecutionDateByTime = new Map<number, ReturnType<typeof setTaskExecutionDate>>();
const maxCachedDates = 256;

function setExecutionDate(date: Date) {
  let command = setExecutionDateByTime.get(date.getTime());
  if (!command) {
    if (setExecutionDateByTime.size >= maxCachedDates) setExecutionDateByTime.clear();
    command = setTaskExecutionDate(date);
    setExecutionDateByTime.set(date.getTime(), command);
  }
  return command;
}

function checkMonth(month: number) {
  if (!Number.isInteger(month) || month < 1 || month > 12) {
    throw new InvariantViolation(`month must be 1..12, got ${month}`);
  }
}

function checkDate(date: Date) {
  if (Number.isNaN(date.getTime())) throw new InvariantViolation("execution date is not a valid date");
}

function required(value: string, name: string): string {
  const trimmed = value.trim();
  if (trimmed === "") throw new InvariantViolation(`${name} must not be blank`);
  return trimmed;
}

function existing(task: Task | undefined): Task {
  if (!task) throw new NotFoundError("task does not exist");
  return task;
}
