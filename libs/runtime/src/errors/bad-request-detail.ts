import { BinaryWriter, WireType } from "@bufbuild/protobuf/wire";

/** An error detail in the shape ConnectError sends as google.protobuf.Any: a type name and its bytes. */
export interface ErrorDetail {
  type: string;
  value: Uint8Array;
}

/**
 * Encodes a `google.rpc.BadRequest` with one field violation. The project generates no code for
 * google/rpc, so the two tiny messages are written by hand:
 * BadRequest { repeated FieldViolation field_violations = 1 }, FieldViolation { string field = 1; string description = 2 }.
 */
export function badRequestDetail(field: string, description: string): ErrorDetail {
  const violation = new BinaryWriter()
    .tag(1, WireType.LengthDelimited)
    .string(field)
    .tag(2, WireType.LengthDelimited)
    .string(description)
    .finish();
  const value = new BinaryWriter().tag(1, WireType.LengthDelimited).bytes(violation).finish();
  return { type: "google.rpc.BadRequest", value };
}
