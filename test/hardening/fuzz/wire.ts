/**
 * Hand-made protobuf wire bytes, for what a well-behaved encoder never writes: wrong wire types, invalid
 * UTF-8 in strings, unknown fields, groups, nesting deeper than any limit.
 */
export const WireType = {
  varint: 0,
  fixed64: 1,
  lengthDelimited: 2,
  startGroup: 3,
  endGroup: 4,
  fixed32: 5,
} as const;

export function varint(value: bigint | number): Uint8Array {
  let v = BigInt.asUintN(64, BigInt(value));
  const out: number[] = [];
  while (v >= 0x80n) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v));
  return Uint8Array.from(out);
}

export function tag(field: number, wireType: number): Uint8Array {
  return varint((BigInt(field) << 3n) | BigInt(wireType));
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  return concatAll(parts);
}

export function concatAll(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** A length-delimited field (string, bytes, message, packed repeated). */
export function bytesField(field: number, payload: Uint8Array): Uint8Array {
  return concat(tag(field, WireType.lengthDelimited), varint(payload.length), payload);
}

export function stringField(field: number, text: string): Uint8Array {
  return bytesField(field, new TextEncoder().encode(text));
}

export function varintField(field: number, value: bigint | number): Uint8Array {
  return concat(tag(field, WireType.varint), varint(value));
}

/** `depth` groups of field `field` opened inside one another, then closed (or left open). */
export function nestedGroups(field: number, depth: number, closed: boolean): Uint8Array {
  const open = tag(field, WireType.startGroup);
  const close = tag(field, WireType.endGroup);
  const out = new Uint8Array(depth * (open.length + (closed ? close.length : 0)));
  for (let i = 0; i < depth; i += 1) out.set(open, i * open.length);
  if (closed) for (let i = 0; i < depth; i += 1) out.set(close, depth * open.length + i * close.length);
  return out;
}

/**
 * A message nested `depth` times in field `field` of itself (e.g. Filter.not), built from the inside
 * out: `innermost` is the deepest message's own bytes.
 */
export function nestedMessages(field: number, depth: number, innermost: Uint8Array): Uint8Array {
  // Every level is one header (tag, length) in front of the next, so the headers come first, outermost
  // first: computed from the lengths instead of copying the growing message `depth` times.
  const header = tag(field, WireType.lengthDelimited);
  const lengths = [innermost.length];
  for (let i = 1; i < depth; i += 1) {
    const inner = lengths[i - 1]!;
    lengths.push(header.length + varint(inner).length + inner);
  }
  const headers: Uint8Array[] = [];
  for (let i = depth - 1; i >= 0; i -= 1) headers.push(header, varint(lengths[i]!));
  headers.push(innermost);
  return concatAll(headers);
}

/** Byte sequences that are not UTF-8: a lone continuation byte, an overlong form, a surrogate, a truncated sequence, 0xFF. */
export const invalidUtf8: readonly Uint8Array[] = [
  Uint8Array.of(0x80),
  Uint8Array.of(0xc0, 0xaf),
  Uint8Array.of(0xed, 0xa0, 0x80),
  Uint8Array.of(0xe2, 0x82),
  Uint8Array.of(0x61, 0xff, 0x62),
  Uint8Array.of(0xf4, 0x90, 0x80, 0x80),
];
