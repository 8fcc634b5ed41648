import type { Column } from "../entities/column.ts";
import type { CopyTextRow } from "./copy-text-row.ts";
import { jsonStringArray } from "./json-text.ts";
import type { OutputBuffer } from "./output-buffer.ts";
import { parsePgTextArray } from "./pg-array-text.ts";
import { type RowEncoder, worstCaseBytes } from "./row-encoder.ts";
import { writeRfc3339 } from "./timestamp-text.ts";

const COMMA = 44;
const QUOTE = 34;
const CR = 13;
const LF = 10;
const TRUE = Buffer.from("true");
const FALSE = Buffer.from("false");

/**
 * RFC 4180 CSV: CRLF after every record, a field quoted only when it holds a comma, a quote, CR or LF
 * (quotes doubled), NULL as an empty field. Times are RFC 3339 in UTC, booleans true/false, text
 * arrays a JSON array.
 */
export function csvEncoder(columns: readonly Column[]): RowEncoder {
  return {
    header: Buffer.from(`${columns.map((column) => column.name).join(",")}\r\n`),
    encode(row, out) {
      out.ensure(worstCaseBytes(row));
      for (let i = 0; i < columns.length; i++) {
        if (i > 0) out.byte(COMMA);
        if (!row.isNull(i)) writeField(columns[i]!, i, row, out);
      }
      out.byte(CR);
      out.byte(LF);
    },
  };
}

function writeField(column: Column, index: number, row: CopyTextRow, out: OutputBuffer): void {
  switch (column.type) {
    case "uuid":
    case "enum":
    case "int32":
    case "int64":
      row.field(index);
      return out.copy(row.source, row.start, row.end);
    case "bool":
      row.field(index);
      return out.append(row.source[row.start] === 116 ? TRUE : FALSE);
    case "timestamp":
      row.field(index);
      out.length = writeRfc3339(row.source, row.start, row.end, out.bytes, out.length);
      return;
    case "text_array": {
      const json = jsonStringArray(parsePgTextArray(row.text(index)));
      return writeCsvText(json, 0, json.length, out);
    }
    default:
      row.field(index);
      return writeCsvText(row.source, row.start, row.end, out);
  }
}

/** Copies the field as is, and starts over quoted at the first byte that needs quoting (one pass if none). */
function writeCsvText(source: Uint8Array, start: number, end: number, out: OutputBuffer): void {
  out.ensure(2 * (end - start) + 2);
  const bytes = out.bytes;
  let at = out.length;
  for (let i = start; i < end; i++) {
    const byte = source[i]!;
    if (byte === COMMA || byte === QUOTE || byte === CR || byte === LF)
      return writeQuoted(source, start, end, out);
    bytes[at++] = byte;
  }
  out.length = at;
}

function writeQuoted(source: Uint8Array, start: number, end: number, out: OutputBuffer): void {
  out.byte(QUOTE);
  for (let i = start; i < end; i++) {
    const byte = source[i]!;
    if (byte === QUOTE) out.byte(QUOTE);
    out.byte(byte);
  }
  out.byte(QUOTE);
}
