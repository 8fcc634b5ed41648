import type { BulkCommand } from "@conveyor/specification";
import type { BulkTable } from "./bulk-table.ts";

/** An event in its outbox form: the protobuf message name and the message as protobuf JSON. */
export interface WireEvent {
  eventType: string;
  payload: object;
}

/** A bulk command bound to the table it changes and to the wire form of its events. */
export interface BulkOperation<T, E, K extends keyof T = keyof T> {
  readonly command: BulkCommand<T, E, K>;
  readonly table: BulkTable<T>;
  wire(event: E): WireEvent;
}
