import type { OutputBuffer } from "./output-buffer.ts";

const QUOTE = 34;
const BACKSLASH = 92;
const hex = Buffer.from("0123456789abcdef");
const shortEscapes: Record<number, number> = { 8: 98, 9: 116, 10: 110, 12: 102, 13: 114 };

/**
 * Appends source[start, end) (UTF-8) as a JSON string: quotes, backslashes and control characters are
 * escaped, everything else is copied as is. Needs room for 6 bytes per input byte plus 2.
 */
export function writeJsonString(source: Uint8Array, start: number, end: number, out: OutputBuffer): void {
  const bytes = out.bytes;
  let at = out.length;
  bytes[at++] = QUOTE;
  for (let i = start; i < end; i++) {
    const byte = source[i]!;
    if (byte >= 32 && byte !== QUOTE && byte !== BACKSLASH) {
      bytes[at++] = byte;
    } else if (byte === QUOTE || byte === BACKSLASH) {
      bytes[at++] = BACKSLASH;
      bytes[at++] = byte;
    } else {
      at = writeControl(byte, bytes, at);
    }
  }
  bytes[at++] = QUOTE;
  out.length = at;
}

function writeControl(byte: number, bytes: Buffer, at: number): number {
  bytes[at++] = BACKSLASH;
  const short = shortEscapes[byte];
  if (short !== undefined) {
    bytes[at++] = short;
    return at;
  }
  bytes.write("u00", at, "latin1");
  bytes[at + 3] = hex[byte >> 4]!;
  bytes[at + 4] = hex[byte & 15]!;
  return at + 5;
}

/** A JSON array of strings (null elements as null), as UTF-8. */
export function jsonStringArray(elements: readonly (string | null)[]): Buffer {
  return Buffer.from(JSON.stringify(elements));
}
