import type { CreateTask, SetTaskExecutionDate } from "@conveyor/proto/conveyor/command/v1/commands_pb";
import type { TaskCommand } from "../task/domain/task.ts";
import { integerIn, optionalTimestamp, requiredText, requiredTimestamp } from "./field-validation.ts";

export const taskFieldLimits = { title: 200, category: 100 };

export function createTask(m: CreateTask, at: string): TaskCommand {
  return {
    type: "CreateTask",
    title: requiredText(m.title, `${at}.title`, taskFieldLimits.title),
    month: integerIn(m.month, `${at}.month`, 1, 12),
    category: requiredText(m.category, `${at}.category`, taskFieldLimits.category),
    executionDate: optionalTimestamp(m.executionDate, `${at}.execution_date`) ?? null,
  };
}

export function setTaskExecutionDate(m: SetTaskExecutionDate, at: string): TaskCommand {
  return {
    type: "SetTaskExecutionDate",
    executionDate: requiredTimestamp(m.executionDate, `${at}.execution_date`),
  };
}
