import { describe, expect, it } from "vitest";
import { create, fromJson, type DescMessage, type JsonValue } from "@bufbuild/protobuf";
import { EventEnvelopeSchema } from "@conveyor/proto/conveyor/events/v1/events_pb";
import { UserStatus } from "@conveyor/proto/conveyor/types/v1/types_pb";
import type { UserEvent } from "./domain/user.ts";
import { userEventPayload } from "./user-event-payloads.ts";

const schemaOf = (eventType: string): DescMessage =>
  EventEnvelopeSchema.fields.find((field) => field.message?.typeName === eventType)!.message!;

describe("user event payloads", () => {
  it.each<[UserEvent, Record<string, unknown>]>([
    [
      { type: "UserCreated", email: "a@b.c", firstName: "A", lastName: "B", status: "PENDING", roles: ["r"] },
      { email: "a@b.c", firstName: "A", lastName: "B", status: UserStatus.PENDING, roles: ["r"] },
    ],
    [
      { type: "UserEmailChanged", email: "n@b.c", previousEmail: "a@b.c" },
      { email: "n@b.c", previousEmail: "a@b.c" },
    ],
    [
      { type: "UserStatusChanged", status: "SUSPENDED", previousStatus: "ACTIVE" },
      { status: UserStatus.SUSPENDED, previousStatus: UserStatus.ACTIVE },
    ],
    [{ type: "UserRolesChanged", roles: [] }, { roles: [] }],
  ])("parse as their conveyor.events.v1 message: %o", (event, expected) => {
    const { eventType, payload } = userEventPayload(event);
    const schema = schemaOf(eventType);
    expect(fromJson(schema, payload as JsonValue)).toEqual(create(schema, expected));
  });
});
