import type { UserCommand } from "../user/domain/user.ts";

/** A validated command of a batch, with its position in the request. */
export interface BatchCommand {
  index: number;
  aggregateId: string;
  expectedVersion?: number;
  command: UserCommand;
}

export interface BatchRequest {
  requestId: string;
  commands: BatchCommand[];
}

export type AggregateErrorCode =
  | "CONCURRENCY_CONFLICT"
  | "INVARIANT_VIOLATION"
  | "NOT_FOUND"
  | "ALREADY_EXISTS"
  | "DEPENDENCY_FAILED"
  | "ROLLED_BACK"
  | "INTERNAL";

export interface AggregateResult {
  aggregateId: string;
  aggregateType: "USER" | "ORDER" | "TASK";
  success: boolean;
  eventsGenerated: number;
  commandsProcessed: number;
  version: number;
  error?: { code: AggregateErrorCode; message: string; commandIndex: number };
}
