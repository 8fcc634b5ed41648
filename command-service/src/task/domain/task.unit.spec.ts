import { describe, expect, it } from "vitest";
import { AlreadyExistsError, InvariantViolation, NotFoundError } from "@conveyor/errors";
import { setTaskExecutionDate } from "./set-task-execution-date.ts";
import { decideTask, evolveTask, type TaskCommand } from "./task.ts";
import type { Task } from "./task-state.ts";

const id = "0190a000-0000-7000-8000-000000000001";
const date = new Date("2026-03-01T09:00:00Z");
const create: TaskCommand = {
  type: "CreateTask",
  title: " Inventory ",
  month: 3,
  category: "ops",
  executionDate: null,
};

function given(...commands: TaskCommand[]): Task | undefined {
  let state: Task | undefined;
  for (const command of commands) {
    for (const event of decideTask(state, command)) state = evolveTask(state, id, event);
  }
  return state;
}

describe("Task", () => {
  it("is created open, trimmed, at version 1", () => {
    expect(given(create)).toEqual({
      id,
      title: "Inventory",
      month: 3,
      category: "ops",
      completed: false,
      executionDate: null,
      version: 1,
    });
  });

  it("refuses to be created twice", () => {
    expect(() => decideTask(given(create), create)).toThrow(AlreadyExistsError);
  });

  it.each([0, 13, 2.5, -1])("refuses month %s", (month) => {
    expect(() => decideTask(undefined, { ...create, month })).toThrow(InvariantViolation);
  });

  it.each(["title", "category"] as const)("refuses a blank %s", (field) => {
    expect(() => decideTask(undefined, { ...create, [field]: "  " })).toThrow(InvariantViolation);
  });

  it("refuses an invalid execution date", () => {
    expect(() => decideTask(undefined, { ...create, executionDate: new Date(Number.NaN) })).toThrow(
      InvariantViolation,
    );
    expect(() =>
      decideTask(given(create), { type: "SetTaskExecutionDate", executionDate: new Date("x") }),
    ).toThrow(InvariantViolation);
  });

  it("sets an execution date on an open task", () => {
    const task = given(create, { type: "SetTaskExecutionDate", executionDate: date });
    expect(task).toMatchObject({ executionDate: date, version: 2 });
  });

  it("can't set an execution date on a completed task, just as the bulk operation refuses it", () => {
    const completed = given(create, { type: "CompleteTask" });
    expect(setTaskExecutionDate(date).classify(completed!)).toBe("precondition-failed");
    expect(() => decideTask(completed, { type: "SetTaskExecutionDate", executionDate: date })).toThrow(
      InvariantViolation,
    );
  });

  it("changes nothing when the execution date is already set to that date", () => {
    const task = given(create, { type: "SetTaskExecutionDate", executionDate: date });
    expect(decideTask(task, { type: "SetTaskExecutionDate", executionDate: new Date(date) })).toEqual([]);
  });

  it("completes once", () => {
    const completed = given(create, { type: "CompleteTask" });
    expect(completed).toMatchObject({ completed: true, version: 2 });
    expect(() => decideTask(completed, { type: "CompleteTask" })).toThrow(InvariantViolation);
  });

  it.each<TaskCommand>([{ type: "CompleteTask" }, { type: "SetTaskExecutionDate", executionDate: date }])(
    "refuses $type on a task that does not exist",
    (command) => {
      expect(() => decideTask(undefined, command)).toThrow(NotFoundError);
    },
  );
});
