import type { OutputBuffer } from "./output-buffer.ts";

/** Protobuf wire types used here. */
export const VARINT = 0;
export const LENGTH_DELIMITED = 2;

/** Appends a non-negative integer up to 2^53 as a varint (room: 8 bytes). */
export function writeVarint(out: OutputBuffer, value: number): void {
  const bytes = out.bytes;
  let at = out.length;
  let rest = value;
  while (rest > 127) {
    bytes[at++] = (rest & 127) | 128;
    rest = Math.floor(rest / 128);
  }
  bytes[at++] = rest;
  out.length = at;
}

/** Appends any int64 (negative ones as their 64-bit two's complement, 10 bytes) as a varint. */
export function writeVarint64(out: OutputBuffer, value: bigint): void {
  let rest = BigInt.asUintN(64, value);
  while (rest > 127n) {
    out.bytes[out.length++] = Number(rest & 127n) | 128;
    rest >>= 7n;
  }
  out.bytes[out.length++] = Number(rest);
}

/** Appends a signed integer that fits a JavaScript number exactly. */
export function writeSignedVarint(out: OutputBuffer, value: number): void {
  if (value >= 0) writeVarint(out, value);
  else writeVarint64(out, BigInt(value));
}

/** The byte length of a non-negative integer's varint. */
export function varintSize(value: number): number {
  let size = 1;
  for (let rest = value; rest > 127; rest = Math.floor(rest / 128)) size++;
  return size;
}

export function writeTag(out: OutputBuffer, field: number, wireType: number): void {
  writeVarint(out, (field << 3) | wireType);
}

/** Appends a length-delimited field holding source[start, end). */
export function writeBytesField(
  out: OutputBuffer,
  field: number,
  source: Uint8Array,
  start: number,
  end: number,
): void {
  out.ensure(end - start + 16);
  writeTag(out, field, LENGTH_DELIMITED);
  writeVarint(out, end - start);
  out.copy(source, start, end);
}
