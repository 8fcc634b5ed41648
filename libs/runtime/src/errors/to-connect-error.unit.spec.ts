import { Code, ConnectError } from "@connectrpc/connect";
import {
  AlreadyExistsError,
  ConcurrencyConflict,
  InfrastructureError,
  InvariantViolation,
  LimitExceeded,
  NotFoundError,
  PermissionDenied,
  Unauthenticated,
  ValidationError,
} from "@conveyor/errors";
import { BinaryReader } from "@bufbuild/protobuf/wire";
import { describe, expect, it } from "vitest";
import { FIELD_METADATA_KEY, toConnectError } from "./to-connect-error.ts";

describe("toConnectError", () => {
  it.each([
    [new InvariantViolation("a shipped order cannot change"), Code.FailedPrecondition],
    [new NotFoundError("order 7 not found"), Code.NotFound],
    [new AlreadyExistsError("user 7 exists"), Code.AlreadyExists],
    [new ConcurrencyConflict("order-7", 2, 3), Code.Aborted],
    [new Unauthenticated("no token"), Code.Unauthenticated],
    [new PermissionDenied("not an admin"), Code.PermissionDenied],
    [new InfrastructureError("database unavailable", true), Code.Unavailable],
  ])("maps %o to its code, keeping its message and cause", (error, code) => {
    const mapped = toConnectError(error);
    expect(mapped.code).toBe(code);
    expect(mapped.rawMessage).toBe(error.message);
    expect(mapped.cause).toBe(error);
  });

  it("maps ValidationError to INVALID_ARGUMENT with the field in the message, metadata and a BadRequest detail", () => {
    const mapped = toConnectError(new ValidationError("commands[3].create_user.email", "is not an email"));
    expect(mapped.code).toBe(Code.InvalidArgument);
    expect(mapped.rawMessage).toContain("commands[3].create_user.email");
    expect(mapped.metadata.get(FIELD_METADATA_KEY)).toBe("commands[3].create_user.email");
    const [detail] = mapped.details;
    expect(detail && "type" in detail ? detail.type : undefined).toBe("google.rpc.BadRequest");
    expect(
      detail && "value" in detail ? decodeFieldViolation(detail.value as Uint8Array) : undefined,
    ).toEqual({
      field: "commands[3].create_user.email",
      description: "is not an email",
    });
  });

  it("maps LimitExceeded to RESOURCE_EXHAUSTED naming the limit", () => {
    const mapped = toConnectError(
      new LimitExceeded("max_affected", "1200 rows match, at most 1000 may change"),
    );
    expect(mapped.code).toBe(Code.ResourceExhausted);
    expect(mapped.rawMessage).toContain("max_affected");
  });

  it("maps non-retriable infrastructure failures and unknown errors to INTERNAL without their details", () => {
    for (const error of [
      new InfrastructureError("password authentication failed for db", false),
      new TypeError("x is undefined"),
    ]) {
      const mapped = toConnectError(error);
      expect(mapped.code).toBe(Code.Internal);
      expect(mapped.rawMessage).toBe("internal error");
      expect(mapped.cause).toBe(error);
    }
  });

  it("passes a ConnectError through untouched", () => {
    const error = new ConnectError("slow down", Code.ResourceExhausted);
    expect(toConnectError(error)).toBe(error);
  });
});

/** Reads BadRequest.field_violations[0] (field 1) and its field (1) and description (2). */
function decodeFieldViolation(badRequest: Uint8Array): { field: string; description: string } {
  const outer = new BinaryReader(badRequest);
  outer.tag();
  const inner = new BinaryReader(outer.bytes());
  inner.tag();
  const field = inner.string();
  inner.tag();
  return { field, description: inner.string() };
}
