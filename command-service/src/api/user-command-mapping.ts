import type {
  CreateUser,
  UpdateUserEmail,
  UpdateUserRoles,
  UpdateUserStatus,
} from "@conveyor/proto/conveyor/command/v1/commands_pb";
import { UserStatus } from "@conveyor/proto/conveyor/types/v1/types_pb";
import type { UserCommand, UserStatus as DomainUserStatus } from "../user/domain/user.ts";
import { enumName, listOf, requiredText } from "./field-validation.ts";

export const userFieldLimits = { email: 254, name: 200, roles: 32, role: 64 };

export function createUser(m: CreateUser, at: string): UserCommand {
  return {
    type: "CreateUser",
    email: requiredText(m.email, `${at}.email`, userFieldLimits.email),
    firstName: requiredText(m.firstName, `${at}.first_name`, userFieldLimits.name),
    lastName: requiredText(m.lastName, `${at}.last_name`, userFieldLimits.name),
    roles: roles(m.roles, `${at}.roles`),
  };
}

export function updateUserEmail(m: UpdateUserEmail, at: string): UserCommand {
  return { type: "UpdateUserEmail", email: requiredText(m.email, `${at}.email`, userFieldLimits.email) };
}

export function updateUserStatus(m: UpdateUserStatus, at: string): UserCommand {
  return {
    type: "UpdateUserStatus",
    status: enumName<DomainUserStatus>(m.status, UserStatus, `${at}.status`),
  };
}

export function updateUserRoles(m: UpdateUserRoles, at: string): UserCommand {
  return { type: "UpdateUserRoles", roles: roles(m.roles, `${at}.roles`) };
}

function roles(values: string[], field: string): string[] {
  return listOf(values, field, userFieldLimits.roles).map((role, i) =>
    requiredText(role, `${field}[${i}]`, userFieldLimits.role),
  );
}
