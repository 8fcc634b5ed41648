import type { OutboxEvent } from "../outbox/outbox-event.ts";
import type { AggregateTypeName } from "./batch-command.ts";
import type { Sql } from "./sql.ts";

export interface AggregateState {
  id: string;
  version: number;
}

/** A domain event in its wire form: protobuf message name and protobuf JSON payload. */
export interface EventWire {
  eventType: string;
  payload: object;
}

/** Another aggregate a command needs, e.g. the customer of PlaceOrder. */
export interface Dependency {
  id: string;
  type: AggregateTypeName;
  /** What the command calls it, for messages: "customer". */
  role: string;
}

/** What deciding may know beyond the aggregate itself. */
export interface DecideContext {
  exists(type: AggregateTypeName, id: string): boolean;
}

/** The outcome of deciding one aggregate group: its state before and after and the events between. */
export interface Change<S> {
  before: S | undefined;
  after: S;
  events: OutboxEvent[];
}

/** Everything the batch executor needs to run the commands of one aggregate type. */
export interface AggregateKind<S extends AggregateState, C, E> {
  readonly type: AggregateTypeName;
  /** Loads the aggregates that exist among `ids`; `lock` locks their rows (in id order) until the transaction ends. */
  load(sql: Sql, ids: string[], lock: boolean): Promise<S[]>;
  decide(state: S | undefined, command: C, context: DecideContext): E[];
  evolve(state: S | undefined, id: string, event: E): S;
  wire(event: E): EventWire;
  /**
   * Writes the new states and outbox events of some aggregates (one change each) in one statement,
   * each only if its row is still at the version of its `change.before`. Returns the ids written: an
   * aggregate whose row moved on is left out, nothing of it written.
   */
  save(sql: Sql, changes: Change<S>[]): Promise<Set<string>>;
  /** The domain error that a failed `save` of this one change stands for (e.g. an email in use), if any. */
  writeError(error: unknown, change: Change<S>): Error | undefined;
  dependencies(command: C): Dependency[];
}
