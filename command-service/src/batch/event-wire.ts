import { create, toJson, type DescMessage, type MessageInitShape } from "@bufbuild/protobuf";
import type { EventWire } from "./aggregate-kind.ts";

/** An event payload built through its protobuf schema, so field names and JSON forms can't drift from events.proto. */
export function eventWire<Desc extends DescMessage>(schema: Desc, init: MessageInitShape<Desc>): EventWire {
  return { eventType: schema.typeName, payload: toJson(schema, create(schema, init)) as object };
}
