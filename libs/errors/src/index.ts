/**
 * Errors with stable codes. Domain and application code throw these; `toConnectError` in
 * @conveyor/runtime maps them to gRPC status codes, and nothing else does.
 */
export abstract class ConveyorError extends Error {
  abstract readonly code: string;
}

/** Bad input (INVALID_ARGUMENT). `field` is the path of the offending field, e.g. "commands[3].create_user.email". */
export class ValidationError extends ConveyorError {
  readonly code = "VALIDATION";
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(`${field}: ${reason}`);
  }
}

/** A domain invariant refuses the change (FAILED_PRECONDITION). */
export class InvariantViolation extends ConveyorError {
  readonly code = "INVARIANT_VIOLATION";
}

/** The aggregate does not exist (NOT_FOUND). */
export class NotFoundError extends ConveyorError {
  readonly code = "NOT_FOUND";
}

/** The aggregate already exists (ALREADY_EXISTS). */
export class AlreadyExistsError extends ConveyorError {
  readonly code = "ALREADY_EXISTS";
}

/** The expected version did not match (ABORTED). */
export class ConcurrencyConflict extends ConveyorError {
  readonly code = "CONCURRENCY_CONFLICT";
  constructor(
    readonly aggregateId: string,
    readonly expectedVersion: number,
    readonly actualVersion: number,
  ) {
    super(`aggregate ${aggregateId} is at version ${actualVersion}, expected ${expectedVersion}`);
  }
}

/** A configured limit was exceeded (RESOURCE_EXHAUSTED). `limit` names it. */
export class LimitExceeded extends ConveyorError {
  readonly code = "LIMIT_EXCEEDED";
  constructor(
    readonly limit: string,
    message: string,
  ) {
    super(message);
  }
}

/** A per-caller rate limit was exceeded (RESOURCE_EXHAUSTED); `retryAfterMs` is absent when retrying cannot help. */
export class RateLimited extends LimitExceeded {
  constructor(
    limit: string,
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(limit, message);
  }
}

/** A configured time limit ran out (DEADLINE_EXCEEDED). `limit` names it with its value, e.g. "DB_STATEMENT_TIMEOUT_MS=60000". */
export class TimeLimitExceeded extends ConveyorError {
  readonly code = "TIME_LIMIT_EXCEEDED";
  constructor(
    readonly limit: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** No or bad credentials (UNAUTHENTICATED). */
export class Unauthenticated extends ConveyorError {
  readonly code = "UNAUTHENTICATED";
}

/** The principal may not do this (PERMISSION_DENIED). */
export class PermissionDenied extends ConveyorError {
  readonly code = "PERMISSION_DENIED";
}

/** Infrastructure failures say whether retrying can help (UNAVAILABLE when retriable, else INTERNAL). */
export class InfrastructureError extends ConveyorError {
  readonly code = "INFRASTRUCTURE";
  constructor(
    message: string,
    readonly retriable: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
