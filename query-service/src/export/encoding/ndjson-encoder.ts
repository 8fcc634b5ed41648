import type { Column } from "../entities/column.ts";
import type { CopyTextRow } from "./copy-text-row.ts";
import { jsonStringArray, writeJsonString } from "./json-text.ts";
import type { OutputBuffer } from "./output-buffer.ts";
import { parsePgTextArray } from "./pg-array-text.ts";
import { type RowEncoder, worstCaseBytes } from "./row-encoder.ts";
import { writeRfc3339 } from "./timestamp-text.ts";

const QUOTE = 34;
const NULL = Buffer.from("null");
const TRUE = Buffer.from("true");
const FALSE = Buffer.from("false");

/**
 * NDJSON: one JSON object per line ("\n"), keyed by the CSV column names. int32 values are numbers;
 * int64 values are strings (as in protobuf's JSON mapping: JavaScript numbers lose precision past
 * 2^53); times are RFC 3339 strings in UTC; NULL is null.
 */
export function ndjsonEncoder(columns: readonly Column[]): RowEncoder {
  const keys = columns.map((column, i) =>
    Buffer.from(`${i === 0 ? "{" : ","}${JSON.stringify(column.name)}:`),
  );
  return {
    header: undefined,
    encode(row, out) {
      out.ensure(worstCaseBytes(row));
      for (let i = 0; i < columns.length; i++) {
        out.copy(keys[i]!, 0, keys[i]!.length);
        if (row.isNull(i)) out.copy(NULL, 0, NULL.length);
        else writeValue(columns[i]!, i, row, out);
      }
      out.byte(125); // "}"
      out.byte(10);
    },
  };
}

function writeValue(column: Column, index: number, row: CopyTextRow, out: OutputBuffer): void {
  row.field(index);
  switch (column.type) {
    case "int32":
      return out.copy(row.source, row.start, row.end);
    case "uuid":
    case "enum":
    case "int64":
      out.byte(QUOTE);
      out.copy(row.source, row.start, row.end);
      return out.byte(QUOTE);
    case "bool":
      return out.append(row.source[row.start] === 116 ? TRUE : FALSE);
    case "timestamp":
      out.byte(QUOTE);
      out.length = writeRfc3339(row.source, row.start, row.end, out.bytes, out.length);
      return out.byte(QUOTE);
    case "text_array":
      return out.append(jsonStringArray(parsePgTextArray(row.text(index))));
    default:
      return writeJsonString(row.source, row.start, row.end, out);
  }
}
