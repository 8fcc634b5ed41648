import { Code } from "@connectrpc/connect";
import { BinaryReader } from "@bufbuild/protobuf/wire";
import { RateLimited } from "@conveyor/errors";
import { describe, expect, it } from "vitest";
import { toConnectError } from "./to-connect-error.ts";

describe("toConnectError(RateLimited)", () => {
  it("is RESOURCE_EXHAUSTED naming the limit, with pushback metadata and a google.rpc.RetryInfo detail", () => {
    const error = toConnectError(new RateLimited("RATE_LIMIT_REQUESTS_PER_SECOND=5, burst 5", "over", 1_250));
    expect(error.code).toBe(Code.ResourceExhausted);
    expect(error.rawMessage).toBe("over (limit: RATE_LIMIT_REQUESTS_PER_SECOND=5, burst 5)");
    expect(error.metadata.get("grpc-retry-pushback-ms")).toBe("1250");
    const [detail] = error.details;
    expect(detail && "type" in detail ? detail.type : undefined).toBe("google.rpc.RetryInfo");
    const bytes =
      detail && "value" in detail && detail.value instanceof Uint8Array ? detail.value : new Uint8Array();
    const outer = new BinaryReader(bytes);
    expect(outer.tag()).toEqual([1, 2]);
    const duration = new BinaryReader(outer.bytes());
    expect(duration.tag()).toEqual([1, 0]);
    const seconds = Number(duration.int64());
    expect(duration.tag()).toEqual([2, 0]);
    expect(seconds * 1000 + duration.int32() / 1_000_000).toBe(1_250);
  });

  it("carries no retry advice when retrying cannot help", () => {
    const error = toConnectError(new RateLimited("RATE_LIMIT_COMMANDS_PER_SECOND=1, burst 1", "too big"));
    expect(error.code).toBe(Code.ResourceExhausted);
    expect(error.metadata.get("grpc-retry-pushback-ms")).toBeNull();
    expect(error.details).toEqual([]);
  });
});
