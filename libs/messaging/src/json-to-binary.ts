import { ScalarType, type DescField, type DescMessage } from "@bufbuild/protobuf";
import { FeatureSet_FieldPresence } from "@bufbuild/protobuf/wkt";

/**
 * A protobuf message's binary encoding straight from its canonical protobuf JSON form (as `toJson`
 * writes it), without building the message object: the relay's hot path. It takes only the plain shape
 * (camelCase names, int64 as a decimal string, enums by name, timestamps as "...Z" strings) and returns
 * undefined for anything else, so the caller can fall back to `fromJson` + `toBinary`, which either
 * encodes the same bytes or says what is wrong.
 */
export interface JsonEncoder {
  /** The encoded size, or undefined when the value is not in the plain shape. */
  size(json: unknown): number | undefined;
  /** Writes a value that `size` accepted. */
  write(json: Record<string, unknown>, sink: ByteSink): void;
}

/** A fixed-size output buffer that the encoders fill front to back. */
export class ByteSink {
  readonly bytes: Buffer;
  offset = 0;

  constructor(size: number) {
    this.bytes = Buffer.allocUnsafe(size);
  }

  varint(value: number): void {
    // Non-negative integers up to 2^53: division, not 32-bit bit operations.
    while (value > 0x7f) {
      this.bytes[this.offset++] = (value % 0x80) | 0x80;
      value = Math.floor(value / 0x80);
    }
    this.bytes[this.offset++] = value;
  }

  string(value: string, byteLength: number): void {
    this.varint(byteLength);
    this.offset += this.bytes.write(value, this.offset, byteLength, "utf8");
  }
}

export function varintSize(value: number): number {
  let size = 1;
  while (value > 0x7f) {
    value = Math.floor(value / 0x80);
    size++;
  }
  return size;
}

const unsupported = Symbol("unsupported");
const implicitPresence = FeatureSet_FieldPresence.IMPLICIT;
const timestampType = "google.protobuf.Timestamp";
const rfc3339Utc = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?Z$/;
const minTimestampMs = Date.parse("0001-01-01T00:00:00Z");
const maxTimestampMs = Date.parse("9999-12-31T23:59:59Z");

type FieldCodec = {
  /** The field's encoded size (tag included), 0 when it is not written, undefined when not plain. */
  size(value: unknown): number | undefined;
  write(value: unknown, sink: ByteSink): void;
};

const encoders = new Map<string, JsonEncoder | typeof unsupported>();

/** The cached JSON encoder of `desc`, or undefined when a field's kind has no plain fast path. */
export function jsonEncoderFor(desc: DescMessage): JsonEncoder | undefined {
  let encoder = encoders.get(desc.typeName);
  if (encoder === undefined) {
    encoders.set(desc.typeName, unsupported); // recursive types stay on the slow path
    encoder = compileMessage(desc) ?? unsupported;
    encoders.set(desc.typeName, encoder);
  }
  return encoder === unsupported ? undefined : encoder;
}

function compileMessage(desc: DescMessage): JsonEncoder | undefined {
  if (desc.typeName === timestampType) return timestampEncoder;
  const fields = new Map<string, FieldCodec>();
  for (const field of [...desc.fields].sort((a, b) => a.number - b.number)) {
    const codec = compileField(field);
    if (!codec) return undefined;
    fields.set(field.jsonName, codec);
  }
  // Fields in number order, as toBinary writes them: JSON key order does not matter.
  const ordered = [...fields.values()];
  const keys = [...fields.keys()];
  return {
    size(json) {
      if (typeof json !== "object" || json === null || Array.isArray(json)) return undefined;
      let size = 0;
      let known = 0;
      for (let i = 0; i < ordered.length; i++) {
        const value = (json as Record<string, unknown>)[keys[i]!];
        if (value === undefined) continue;
        known++;
        const fieldSize = ordered[i]!.size(value);
        if (fieldSize === undefined) return undefined;
        size += fieldSize;
      }
      // A key that names no field (or an original snake_case name) is left to fromJson.
      return known === Object.keys(json).length ? size : undefined;
    },
    write(json, sink) {
      for (let i = 0; i < ordered.length; i++) {
        const value = json[keys[i]!];
        if (value !== undefined) ordered[i]!.write(value, sink);
      }
    },
  };
}

function compileField(field: DescField): FieldCodec | undefined {
  switch (field.fieldKind) {
    case "scalar":
      return field.presence === implicitPresence ? scalarCodec(field.number, field.scalar) : undefined;
    case "enum": {
      if (field.presence !== implicitPresence) return undefined;
      const numbers = new Map(field.enum.values.map((value) => [value.name, value.number]));
      return enumCodec(field.number, numbers);
    }
    case "message":
      return messageCodec(field.number, field.message);
    case "list":
      if (field.listKind === "message") return listCodec(messageCodec(field.number, field.message));
      if (field.listKind === "scalar" && field.scalar === ScalarType.STRING)
        return listCodec(stringCodec(field.number, false));
      return undefined;
    default:
      return undefined;
  }
}

function scalarCodec(number: number, type: ScalarType): FieldCodec | undefined {
  switch (type) {
    case ScalarType.STRING:
      return stringCodec(number, true);
    case ScalarType.INT32:
      return varintCodec(number, int32Of);
    case ScalarType.INT64:
      return varintCodec(number, int64Of);
    case ScalarType.BOOL:
      return varintCodec(number, (json) => (typeof json === "boolean" ? Number(json) : undefined));
    default:
      return undefined;
  }
}

function stringCodec(number: number, skipEmpty: boolean): FieldCodec {
  const tag = number * 8 + 2;
  const tagSize = varintSize(tag);
  return {
    size(value) {
      if (typeof value !== "string") return undefined;
      if (skipEmpty && value === "") return 0;
      const length = Buffer.byteLength(value);
      return tagSize + varintSize(length) + length;
    },
    write(value, sink) {
      const text = value as string;
      if (skipEmpty && text === "") return;
      sink.varint(tag);
      sink.string(text, Buffer.byteLength(text));
    },
  };
}

function varintCodec(number: number, numberOf: (json: unknown) => number | undefined): FieldCodec {
  const tag = number * 8;
  const tagSize = varintSize(tag);
  return {
    size(value) {
      const n = numberOf(value);
      if (n === undefined) return undefined;
      return n === 0 ? 0 : tagSize + varintSize(n);
    },
    write(value, sink) {
      const n = numberOf(value)!;
      if (n === 0) return;
      sink.varint(tag);
      sink.varint(n);
    },
  };
}

function enumCodec(number: number, numbers: Map<string, number>): FieldCodec {
  return varintCodec(number, (json) => {
    const n = typeof json === "string" ? numbers.get(json) : undefined;
    return n !== undefined && n >= 0 ? n : undefined;
  });
}

// Negative numbers encode as ten-byte varints: left to the slow path, like every other unusual value.
function int32Of(json: unknown): number | undefined {
  return typeof json === "number" && Number.isInteger(json) && json >= 0 && json <= 0x7fffffff
    ? json
    : undefined;
}

function int64Of(json: unknown): number | undefined {
  if (typeof json !== "string" || !/^(0|[1-9]\d{0,15})$/.test(json)) return undefined;
  const n = Number(json);
  return Number.isSafeInteger(n) ? n : undefined;
}

function messageCodec(number: number, desc: DescMessage): FieldCodec | undefined {
  const inner = jsonEncoderFor(desc);
  if (!inner) return undefined;
  const tag = number * 8 + 2;
  const tagSize = varintSize(tag);
  return {
    size(value) {
      const size = inner.size(value);
      return size === undefined ? undefined : tagSize + varintSize(size) + size;
    },
    write(value, sink) {
      sink.varint(tag);
      sink.varint(inner.size(value)!);
      inner.write(value as Record<string, unknown>, sink);
    },
  };
}

function listCodec(element: FieldCodec | undefined): FieldCodec | undefined {
  if (!element) return undefined;
  return {
    size(value) {
      if (!Array.isArray(value)) return undefined;
      let size = 0;
      for (const item of value) {
        const itemSize = element.size(item);
        if (itemSize === undefined) return undefined;
        size += itemSize;
      }
      return size;
    },
    write(value, sink) {
      for (const item of value as unknown[]) element.write(item, sink);
    },
  };
}

/** google.protobuf.Timestamp's JSON form, in UTC ("Z") only; fromJson takes the other offsets. */
const timestampEncoder: JsonEncoder = {
  size(json) {
    const parts = timestampParts(json);
    if (!parts) return undefined;
    return (
      (parts.seconds === 0 ? 0 : 1 + varintSize(parts.seconds)) +
      (parts.nanos === 0 ? 0 : 1 + varintSize(parts.nanos))
    );
  },
  write(json, sink) {
    const { seconds, nanos } = timestampParts(json)!;
    if (seconds !== 0) {
      sink.varint(1 * 8);
      sink.varint(seconds);
    }
    if (nanos !== 0) {
      sink.varint(2 * 8);
      sink.varint(nanos);
    }
  },
};

function timestampParts(json: unknown): { seconds: number; nanos: number } | undefined {
  if (typeof json !== "string") return undefined;
  const match = rfc3339Utc.exec(json);
  if (!match) return undefined;
  const ms = Date.parse(`${match[1]}Z`);
  // Before 1970 the seconds are negative (ten-byte varints): the slow path's job.
  if (Number.isNaN(ms) || ms < 0 || ms < minTimestampMs || ms > maxTimestampMs) return undefined;
  const fraction = match[2];
  return { seconds: ms / 1000, nanos: fraction ? Number(fraction.padEnd(9, "0")) : 0 };
}
