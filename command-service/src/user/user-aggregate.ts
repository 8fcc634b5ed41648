import type { AggregateKind } from "../batch/aggregate-kind.ts";
import { decideUser, evolveUser, type User, type UserCommand, type UserEvent } from "./domain/user.ts";
import { userEventPayload } from "./user-event-payloads.ts";
import { loadUsers, saveUsers, userWriteError } from "./user-store.ts";

/** The User aggregate as the batch executor runs it. */
export const userAggregate: AggregateKind<User, UserCommand, UserEvent> = {
  type: "USER",
  load: loadUsers,
  decide: (user, command) => decideUser(user, command),
  evolve: evolveUser,
  wire: userEventPayload,
  save: saveUsers,
  writeError: userWriteError,
  dependencies: () => [],
};
