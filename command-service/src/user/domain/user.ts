import { InvariantViolation, NotFoundError, AlreadyExistsError } from "@conveyor/errors";
import { normalizeEmail } from "./email.ts";
import { suspendUsers } from "./suspend-users.ts";

export type UserStatus = "PENDING" | "ACTIVE" | "SUSPENDED";

export interface User {
  id: string;
  email: string;
  firstName: string;
  lastName: string;
  status: UserStatus;
  roles: string[];
  version: number;
}

export type UserCommand =
  | { type: "CreateUser"; email: string; firstName: string; lastName: string; roles: string[] }
  | { type: "UpdateUserEmail"; email: string }
  | { type: "UpdateUserStatus"; status: UserStatus }
  | { type: "UpdateUserRoles"; roles: string[] };

export type UserEvent =
  | {
      type: "UserCreated";
      email: string;
      firstName: string;
      lastName: string;
      status: UserStatus;
      roles: string[];
    }
  | { type: "UserEmailChanged"; email: string; previousEmail: string }
  | { type: "UserStatusChanged"; status: UserStatus; previousStatus: UserStatus }
  | { type: "UserRolesChanged"; roles: string[] };

// Suspension has its own rule, in the bulk SuspendUsers operation; nothing goes back to PENDING.
const canBeActivatedFrom: readonly UserStatus[] = ["PENDING", "SUSPENDED"];
const suspend = suspendUsers();

/** Decides the events a command produces, or throws why it can't apply. Pure. */
export function decideUser(user: User | undefined, command: UserCommand): UserEvent[] {
  if (command.type === "CreateUser") {
    if (user) throw new AlreadyExistsError(`user ${user.id} already exists`);
    const created: UserEvent = {
      type: "UserCreated",
      email: normalizeEmail(command.email),
      firstName: requiredName(command.firstName, "first name"),
      lastName: requiredName(command.lastName, "last name"),
      status: "PENDING",
      roles: normalizeRoles(command.roles),
    };
    return [created];
  }
  if (!user) throw new NotFoundError("user does not exist");
  switch (command.type) {
    case "UpdateUserEmail": {
      const email = normalizeEmail(command.email);
      if (email === user.email) throw new InvariantViolation(`email is already ${email}`);
      return [{ type: "UserEmailChanged", email, previousEmail: user.email }];
    }
    case "UpdateUserStatus":
      return [decideStatus(user, command.status)];
    case "UpdateUserRoles":
      return [{ type: "UserRolesChanged", roles: normalizeRoles(command.roles) }];
  }
}

/** Applies an event to the state; every event bumps the version by one. Pure. */
export function evolveUser(user: User | undefined, id: string, event: UserEvent): User {
  const version = (user?.version ?? 0) + 1;
  switch (event.type) {
    case "UserCreated":
      return {
        id,
        email: event.email,
        firstName: event.firstName,
        lastName: event.lastName,
        status: event.status,
        roles: event.roles,
        version,
      };
    case "UserEmailChanged":
      return { ...existing(user), email: event.email, version };
    case "UserStatusChanged":
      return { ...existing(user), status: event.status, version };
    case "UserRolesChanged":
      return { ...existing(user), roles: event.roles, version };
  }
}

function decideStatus(user: User, status: UserStatus): UserEvent {
  if (status === "SUSPENDED") {
    const execution = suspend.execute(user);
    if (execution.changed) return execution.event;
  } else if (status === "ACTIVE" && canBeActivatedFrom.includes(user.status)) {
    return { type: "UserStatusChanged", status, previousStatus: user.status };
  }
  throw new InvariantViolation(`status cannot change from ${user.status} to ${status}`);
}

function requiredName(value: string, name: string): string {
  const trimmed = value.trim();
  if (trimmed === "") throw new InvariantViolation(`${name} must not be blank`);
  return trimmed;
}

/** Roles are a set: trimmed, without blanks or duplicates, sorted. */
function normalizeRoles(roles: string[]): string[] {
  return [...new Set(roles.map((role) => role.trim()).filter((role) => role !== ""))].sort();
}

function existing(user: User | undefined): User {
  if (!user) throw new NotFoundError("user does not exist");
  return user;
}
