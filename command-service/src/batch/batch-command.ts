import type { OrderCommand } from "../order/domain/order.ts";
import type { TaskCommand } from "../task/domain/task.ts";
import type { UserCommand } from "../user/domain/user.ts";

export type AggregateTypeName = "USER" | "ORDER" | "TASK";

export type DomainCommand = UserCommand | OrderCommand | TaskCommand;

/** A validated command of a batch, with its position in the request. */
export interface BatchCommand {
  index: number;
  aggregateId: string;
  aggregateType: AggregateTypeName;
  expectedVersion?: number;
  command: DomainCommand;
}

export type TransactionMode = "PER_AGGREGATE" | "ALL_OR_NOTHING";

export interface BatchRequest {
  requestId: string;
  commands: BatchCommand[];
  mode: TransactionMode;
  /** How many aggregate groups may run at once, each on its own connection (per-aggregate mode). */
  parallelism: number;
}

export type AggregateErrorCode =
  | "CONCURRENCY_CONFLICT"
  | "INVARIANT_VIOLATION"
  | "NOT_FOUND"
  | "ALREADY_EXISTS"
  | "DEPENDENCY_FAILED"
  | "ROLLED_BACK"
  | "INTERNAL";

/** The outcome of one aggregate group. */
export interface AggregateResult {
  aggregateId: string;
  aggregateType: AggregateTypeName;
  success: boolean;
  eventsGenerated: number;
  commandsProcessed: number;
  /** The aggregate's version after the group; on failure, the version it was found at (0: absent). */
  version: number;
  error?: { code: AggregateErrorCode; message: string; commandIndex?: number };
}
