import { ValidationError } from "@conveyor/errors";
import {
  fieldAfter,
  fieldBefore,
  fieldEquals,
  fieldIsNull,
  storableDate,
  storableText,
  type Specification,
} from "@conveyor/specification";
import type { Task } from "./task-state.ts";

/** The longest category a filter may name. */
export const maxCategoryFilterLength = 200;

/** A completed task: its execution date can no longer be set. */
export const taskIsCompleted: Specification<Task> = fieldEquals("completed", true, "task is completed");

/** A task that has an execution date. */
export const taskHasExecutionDate: Specification<Task> = fieldIsNull<Task>(
  "executionDate",
  "task has no execution date",
).not();

/** Tasks of one month (1..12). */
export function taskInMonth(month: number): Specification<Task> {
  if (!Number.isInteger(month) || month < 1 || month > 12)
    throw new ValidationError("month", "must be an integer from 1 to 12");
  return fieldEquals("month", month, `month is ${month}`);
}

/** Tasks of one category (compared exactly). */
export function taskInCategory(category: string): Specification<Task> {
  storableText(category, "category", maxCategoryFilterLength);
  return fieldEquals("category", category, `category is ${JSON.stringify(category)}`);
}

/** Completed tasks (true) or open ones (false). */
export function taskCompleted(completed: boolean): Specification<Task> {
  return completed ? taskIsCompleted : taskIsCompleted.not();
}

/** Tasks whose execution date is strictly before `date`; a task without one is not. */
export function taskExecutionDateBefore(date: Date): Specification<Task> {
  return fieldBefore<Task>("executionDate", storableDate(date, "execution_date_before"));
}

/** Tasks whose execution date is strictly after `date`; a task without one is not. */
export function taskExecutionDateAfter(date: Date): Specification<Task> {
  return fieldAfter<Task>("executionDate", storableDate(date, "execution_date_after"));
}
