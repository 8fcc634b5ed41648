import type { Column } from "../entities/column.ts";
import type { CopyTextRow } from "./copy-text-row.ts";
import { OutputBuffer } from "./output-buffer.ts";
import { parsePgTextArray } from "./pg-array-text.ts";
import { type RowEncoder, worstCaseBytes } from "./row-encoder.ts";
import { readTimestamp, type TimestampParts } from "./timestamp-text.ts";
import {
  LENGTH_DELIMITED,
  VARINT,
  varintSize,
  writeBytesField,
  writeSignedVarint,
  writeTag,
  writeVarint,
  writeVarint64,
} from "./wire.ts";

/** The field number of `rows` in every Export*Response and Export*ChangesResponse. */
export const ROWS_FIELD = 1;

/** Top-level fields of a row message: a column, or a nested message built from several columns. */
type Part =
  { column: Column; index: number } | { field: number; members: { column: Column; index: number }[] };

/**
 * Typed rows, written straight from COPY text as protobuf wire bytes: each row becomes one element of
 * the response's `rows` field (tag, length, row message), so no row object is ever built. Default
 * values are left out, as protobuf encoders do. The output decodes as the row message the columns'
 * field numbers describe (OrderRow, TaskRow, UserRow).
 */
export function protoRowEncoder(columns: readonly Column[]): RowEncoder {
  const parts = toParts(columns);
  const row = new OutputBuffer(1024);
  const nested = new OutputBuffer(256);
  const time: TimestampParts = { seconds: 0, nanos: 0 };
  const enumBytes = columns.map((column) => (column.enumNames ?? []).map((name) => Buffer.from(name)));
  const writeColumn = (target: OutputBuffer, column: Column, index: number, source: CopyTextRow) => {
    if (!source.isNull(index)) writeValue(target, column, index, source, time, enumBytes[index]!);
  };
  return {
    header: undefined,
    encode(source, out) {
      row.ensure(worstCaseBytes(source));
      for (const part of parts) {
        if ("column" in part) {
          writeColumn(row, part.column, part.index, source);
          continue;
        }
        nested.ensure(worstCaseBytes(source));
        for (const member of part.members) writeColumn(nested, member.column, member.index, source);
        writeBytesField(row, part.field, nested.bytes, 0, nested.length);
        nested.length = 0;
      }
      writeBytesField(out, ROWS_FIELD, row.bytes, 0, row.length);
      row.length = 0;
    },
  };
}

function toParts(columns: readonly Column[]): Part[] {
  const parts: Part[] = [];
  columns.forEach((column, index) => {
    if (column.group === undefined) return parts.push({ column, index });
    const last = parts.at(-1);
    if (last && "members" in last && last.field === column.group) last.members.push({ column, index });
    else parts.push({ field: column.group, members: [{ column, index }] });
  });
  return parts;
}

function writeValue(
  out: OutputBuffer,
  column: Column,
  index: number,
  row: CopyTextRow,
  time: TimestampParts,
  enumNames: Buffer[],
): void {
  if (column.type === "text_array") return writeStrings(out, column.field, parsePgTextArray(row.text(index)));
  row.field(index);
  const { source, start, end } = row;
  switch (column.type) {
    case "uuid":
    case "text":
      if (end > start) writeBytesField(out, column.field, source, start, end);
      return;
    case "enum":
      return writeNonZero(out, column.field, enumNumber(source, start, end, enumNames));
    case "bool":
      return writeNonZero(out, column.field, source[start] === 116 ? 1 : 0);
    case "int32":
      return writeNonZero(out, column.field, parseSmallInteger(source, start, end));
    case "int64":
      return writeInt64(out, column.field, source, start, end);
    case "timestamp":
      readTimestamp(source, start, end, time);
      return writeTimestamp(out, column.field, time);
  }
}

function writeNonZero(out: OutputBuffer, field: number, value: number): void {
  if (value === 0) return;
  writeTag(out, field, VARINT);
  writeSignedVarint(out, value);
}

function writeInt64(out: OutputBuffer, field: number, source: Uint8Array, start: number, end: number): void {
  if (end - start <= 15) return writeNonZero(out, field, parseSmallInteger(source, start, end));
  const value = BigInt(Buffer.from(source.subarray(start, end)).toString("latin1"));
  if (value === 0n) return;
  writeTag(out, field, VARINT);
  writeVarint64(out, value);
}

function writeTimestamp(out: OutputBuffer, field: number, { seconds, nanos }: TimestampParts): void {
  const secondsSize = seconds === 0 ? 0 : seconds > 0 ? 1 + varintSize(seconds) : 11;
  const nanosSize = nanos === 0 ? 0 : 1 + varintSize(nanos);
  writeTag(out, field, LENGTH_DELIMITED);
  writeVarint(out, secondsSize + nanosSize);
  writeNonZero(out, 1, seconds);
  writeNonZero(out, 2, nanos);
}

function writeStrings(out: OutputBuffer, field: number, values: readonly (string | null)[]): void {
  for (const value of values) {
    const bytes = Buffer.from(value ?? "");
    writeBytesField(out, field, bytes, 0, bytes.length);
  }
}

/** A decimal integer of at most 15 digits (exact as a number), optionally negative. */
function parseSmallInteger(source: Uint8Array, start: number, end: number): number {
  const negative = source[start] === 45;
  let value = 0;
  for (let i = negative ? start + 1 : start; i < end; i++) value = value * 10 + source[i]! - 48;
  return negative ? -value : value;
}

/** The proto enum number of a read-model status name (1-based position), 0 if unknown. */
function enumNumber(source: Uint8Array, start: number, end: number, names: Buffer[]): number {
  const length = end - start;
  for (let n = 0; n < names.length; n++) {
    const name = names[n]!;
    if (name.length === length && name.compare(source, start, end) === 0) return n + 1;
  }
  return 0;
}
