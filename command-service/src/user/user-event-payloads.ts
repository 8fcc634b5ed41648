import type { EventWire } from "../batch/aggregate-kind.ts";
import type { UserEvent, UserStatus } from "./domain/user.ts";

/** Maps a domain event to its protobuf message name and JSON payload (conveyor.events.v1). */
export function userEventPayload(event: UserEvent): EventWire {
  const { type, ...fields } = event;
  const payload = { ...fields } as Record<string, unknown>;
  for (const key of ["status", "previousStatus"] as const) {
    if (key in payload) payload[key] = userStatusJson(payload[key] as UserStatus);
  }
  return { eventType: `conveyor.events.v1.${type}`, payload };
}

export function userStatusJson(status: UserStatus): string {
  return `USER_STATUS_${status}`;
}
