import type { EventEnvelope } from "@conveyor/proto/conveyor/events/v1/events_pb";
import { UserStatus } from "@conveyor/proto/conveyor/types/v1/types_pb";
import { enumName, requireNoRow, requireRow, stamp, unexpected } from "./event-fields.ts";
import type { VersionedRow } from "./versioned-fold.ts";

/** The user's own fields of read_users (order count and lifetime value are derived from read_orders). */
export interface UserRow extends VersionedRow {
  userId: string;
  email: string;
  firstName: string;
  lastName: string;
  status: string;
  roles: string[];
}

/** The user row after `event`. Pure. */
export function evolveUserRow(row: UserRow | undefined, event: EventEnvelope): UserRow {
  const { payload } = event;
  switch (payload.case) {
    case "userCreated":
      requireNoRow(row, event);
      return {
        userId: event.aggregateId,
        email: payload.value.email,
        firstName: payload.value.firstName,
        lastName: payload.value.lastName,
        status: enumName(UserStatus, payload.value.status, "status"),
        roles: payload.value.roles,
        ...stamp(event),
      };
    case "userEmailChanged":
      return { ...requireRow(row, event), email: payload.value.email, ...stamp(event) };
    case "userStatusChanged":
      return {
        ...requireRow(row, event),
        status: enumName(UserStatus, payload.value.status, "status"),
        ...stamp(event),
      };
    case "userRolesChanged":
      return { ...requireRow(row, event), roles: payload.value.roles, ...stamp(event) };
    default:
      return unexpected(event, "user");
  }
}
