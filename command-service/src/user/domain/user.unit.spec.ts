import { describe, expect, it } from "vitest";
import { AlreadyExistsError, InvariantViolation, NotFoundError } from "@conveyor/errors";
import { suspendUsers } from "./suspend-users.ts";
import { decideUser, evolveUser, type User, type UserCommand, type UserStatus } from "./user.ts";

const id = "0190a000-0000-7000-8000-0000000000aa";
const create: UserCommand = {
  type: "CreateUser",
  email: " Ada@Example.COM ",
  firstName: " Ada ",
  lastName: "Lovelace",
  roles: ["writer", " admin", "writer", ""],
};

function given(...commands: UserCommand[]): User | undefined {
  let state: User | undefined;
  for (const command of commands) {
    for (const event of decideUser(state, command)) state = evolveUser(state, id, event);
  }
  return state;
}

const toStatus: Record<UserStatus, UserCommand[]> = {
  PENDING: [create],
  ACTIVE: [create, { type: "UpdateUserStatus", status: "ACTIVE" }],
  SUSPENDED: [create, { type: "UpdateUserStatus", status: "SUSPENDED" }],
};

describe("User", () => {
  it("is created pending with a normalized email, trimmed names and a role set, at version 1", () => {
    expect(given(create)).toEqual({
      id,
      email: "ada@example.com",
      firstName: "Ada",
      lastName: "Lovelace",
      status: "PENDING",
      roles: ["admin", "writer"],
      version: 1,
    });
  });

  it("can't be created twice", () => {
    expect(() => decideUser(given(create), create)).toThrow(AlreadyExistsError);
  });

  it.each([
    "not-an-email",
    "a@b",
    "two@@example.com",
    "sp ace@example.com",
    `${"x".repeat(250)}@example.com`,
  ])("refuses the email %s", (email) => {
    expect(() => decideUser(undefined, { ...create, email })).toThrow(InvariantViolation);
    expect(() => decideUser(given(create), { type: "UpdateUserEmail", email })).toThrow(InvariantViolation);
  });

  it.each(["firstName", "lastName"] as const)("refuses a blank %s", (field) => {
    expect(() => decideUser(undefined, { ...create, [field]: " " })).toThrow(InvariantViolation);
  });

  it("changes its email, remembering the previous one, but not to the same address", () => {
    const event = decideUser(given(create), { type: "UpdateUserEmail", email: "ADA@new.example" });
    expect(event).toEqual([
      { type: "UserEmailChanged", email: "ada@new.example", previousEmail: "ada@example.com" },
    ]);
    expect(() => decideUser(given(create), { type: "UpdateUserEmail", email: "ada@example.com" })).toThrow(
      InvariantViolation,
    );
  });

  const transitions: [UserStatus, UserStatus, boolean][] = [
    ["PENDING", "ACTIVE", true],
    ["PENDING", "SUSPENDED", true],
    ["PENDING", "PENDING", false],
    ["ACTIVE", "SUSPENDED", true],
    ["ACTIVE", "ACTIVE", false],
    ["ACTIVE", "PENDING", false],
    ["SUSPENDED", "ACTIVE", true],
    ["SUSPENDED", "SUSPENDED", false],
    ["SUSPENDED", "PENDING", false],
  ];
  it.each(transitions)("status %s -> %s allowed: %s", (from, to, allowed) => {
    const decide = () => decideUser(given(...toStatus[from]), { type: "UpdateUserStatus", status: to });
    if (allowed) expect(decide()).toEqual([{ type: "UserStatusChanged", status: to, previousStatus: from }]);
    else expect(decide).toThrow(InvariantViolation);
  });

  it("suspends exactly the users the bulk SuspendUsers operation would, with the same event", () => {
    for (const status of ["PENDING", "ACTIVE", "SUSPENDED"] as const) {
      const user = given(...toStatus[status])!;
      const bulk = suspendUsers().execute.bind(null, user);
      const batch = () => decideUser(user, { type: "UpdateUserStatus", status: "SUSPENDED" });
      if (status === "SUSPENDED") {
        expect(bulk).toThrow(InvariantViolation);
        expect(batch).toThrow(InvariantViolation);
      } else {
        expect(batch()).toEqual(
          [bulk()].flatMap((execution) => (execution.changed ? [execution.event] : [])),
        );
      }
    }
  });

  it("replaces its roles with a normalized set", () => {
    const user = given(create, { type: "UpdateUserRoles", roles: ["b", "a", "b"] });
    expect(user).toMatchObject({ roles: ["a", "b"], version: 2 });
  });

  it.each<UserCommand>([
    { type: "UpdateUserEmail", email: "x@example.com" },
    { type: "UpdateUserStatus", status: "ACTIVE" },
    { type: "UpdateUserRoles", roles: [] },
  ])("refuses $type on a user that does not exist", (command) => {
    expect(() => decideUser(undefined, command)).toThrow(NotFoundError);
  });
});
