import { bulkCommand, named, type BulkCommand, type Specification } from "@conveyor/specification";
import type { User, UserEvent, UserStatus } from "./user.ts";
import { userIsSuspended } from "./user-specifications.ts";

type UserStatusChanged = Extract<UserEvent, { type: "UserStatusChanged" }>;

const statuses: readonly UserStatus[] = ["PENDING", "ACTIVE", "SUSPENDED"];

/**
 * Suspends users, which only one not already suspended can be. Usable on one user in memory (the batch
 * UpdateUserStatus to SUSPENDED) and on every selected user in SQL.
 */
export function suspendUsers(
  ...restrictions: Specification<User>[]
): BulkCommand<User, UserStatusChanged, "status"> {
  return bulkCommand(
    {
      name: "SuspendUsers",
      preconditions: [named("the user not to be suspended already", userIsSuspended.not())],
      assignments: { status: "SUSPENDED" },
      event: (before) => ({ type: "UserStatusChanged", status: "SUSPENDED", previousStatus: before.status }),
      eventVariesWith: { status: statuses },
    },
    restrictions,
  );
}
