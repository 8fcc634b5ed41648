import { Code, ConnectError } from "@connectrpc/connect";
import {
  AlreadyExistsError,
  ConcurrencyConflict,
  type ConveyorError,
  InfrastructureError,
  InvariantViolation,
  LimitExceeded,
  NotFoundError,
  PermissionDenied,
  RateLimited,
  TimeLimitExceeded,
  Unauthenticated,
  ValidationError,
} from "@conveyor/errors";
import { badRequestDetail } from "./bad-request-detail.ts";
import { RETRY_PUSHBACK_METADATA_KEY, retryInfoDetail } from "./retry-info-detail.ts";

/** Response metadata key naming the offending field of an INVALID_ARGUMENT error. */
export const FIELD_METADATA_KEY = "x-conveyor-field";

type ErrorClass = abstract new (...args: never[]) => ConveyorError;

const plainCodes: ReadonlyArray<readonly [ErrorClass, Code]> = [
  [InvariantViolation, Code.FailedPrecondition],
  [NotFoundError, Code.NotFound],
  [AlreadyExistsError, Code.AlreadyExists],
  [ConcurrencyConflict, Code.Aborted],
  [Unauthenticated, Code.Unauthenticated],
  [PermissionDenied, Code.PermissionDenied],
];

/**
 * The one place that maps errors to gRPC status codes. @conveyor/errors classes get their code
 * (ValidationError also carries its field as a google.rpc.BadRequest detail and as
 * `x-conveyor-field` metadata); a ConnectError passes through; anything else becomes INTERNAL with a
 * generic message, keeping the original as `cause` for logs only.
 */
export function toConnectError(err: unknown): ConnectError {
  if (err instanceof ConnectError) return err;
  if (err instanceof ValidationError) return invalidArgument(err);
  if (err instanceof RateLimited) return rateLimited(err);
  if (err instanceof LimitExceeded)
    return withCause(`${err.message} (limit: ${err.limit})`, Code.ResourceExhausted, err);
  if (err instanceof TimeLimitExceeded)
    return withCause(`${err.message} (limit: ${err.limit})`, Code.DeadlineExceeded, err);
  if (err instanceof InfrastructureError && err.retriable)
    return withCause(err.message, Code.Unavailable, err);
  const plain = plainCodes.find(([errorClass]) => err instanceof errorClass);
  if (plain && err instanceof Error) return withCause(err.message, plain[1], err);
  return withCause("internal error", Code.Internal, err);
}

function invalidArgument(err: ValidationError): ConnectError {
  const error = new ConnectError(
    err.message,
    Code.InvalidArgument,
    { [FIELD_METADATA_KEY]: err.field },
    undefined,
    err,
  );
  error.details.push(badRequestDetail(err.field, err.reason));
  return error;
}

/** RESOURCE_EXHAUSTED with when to retry, if retrying can help: RetryInfo detail and pushback metadata. */
function rateLimited(err: RateLimited): ConnectError {
  const message = `${err.message} (limit: ${err.limit})`;
  if (err.retryAfterMs === undefined) return withCause(message, Code.ResourceExhausted, err);
  const metadata = { [RETRY_PUSHBACK_METADATA_KEY]: String(err.retryAfterMs) };
  const error = new ConnectError(message, Code.ResourceExhausted, metadata, undefined, err);
  error.details.push(retryInfoDetail(err.retryAfterMs));
  return error;
}

function withCause(message: string, code: Code, cause: unknown): ConnectError {
  return new ConnectError(message, code, undefined, undefined, cause);
}
