import { BinaryWriter, WireType } from "@bufbuild/protobuf/wire";
import type { ErrorDetail } from "./bad-request-detail.ts";

/** Response metadata telling gRPC clients with a retry policy how long to wait (gRFC A6 server pushback). */
export const RETRY_PUSHBACK_METADATA_KEY = "grpc-retry-pushback-ms";

/**
 * Encodes a `google.rpc.RetryInfo` by hand, like `badRequestDetail`:
 * RetryInfo { google.protobuf.Duration retry_delay = 1 }, Duration { int64 seconds = 1; int32 nanos = 2 }.
 */
export function retryInfoDetail(retryAfterMs: number): ErrorDetail {
  const duration = new BinaryWriter()
    .tag(1, WireType.Varint)
    .int64(Math.floor(retryAfterMs / 1000))
    .tag(2, WireType.Varint)
    .int32((retryAfterMs % 1000) * 1_000_000)
    .finish();
  const value = new BinaryWriter().tag(1, WireType.LengthDelimited).bytes(duration).finish();
  return { type: "google.rpc.RetryInfo", value };
}
