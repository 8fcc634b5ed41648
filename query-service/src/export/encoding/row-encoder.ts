import type { CopyTextRow } from "./copy-text-row.ts";
import type { OutputBuffer } from "./output-buffer.ts";

/** Turns parsed COPY rows into one output format's bytes. */
export interface RowEncoder {
  /** Bytes that open an export's first chunk (the CSV header), if the format has any. */
  readonly header: Buffer | undefined;
  /** Appends row fields 0 to columns - 1 to `out`, growing it as needed. */
  encode(row: CopyTextRow, out: OutputBuffer): void;
}

/** Room that is always enough for one row: escaping grows a byte to at most 12 (JSON array in CSV). */
export function worstCaseBytes(row: CopyTextRow): number {
  return row.length * 12 + row.count * 64 + 16;
}
