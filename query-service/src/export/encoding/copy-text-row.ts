const TAB = 9;
const BACKSLASH = 92;
const NEWLINE = 10;
const maxFields = 64;
const escapes: Record<number, number> = { 98: 8, 102: 12, 110: 10, 114: 13, 116: 9, 118: 11 };

/**
 * The fields of one row in PostgreSQL's COPY text format: tab-separated, ending in "\n", with
 * backslash escapes inside fields and "\N" for NULL. `field(i)` points `source/start/end` at the
 * field's unescaped bytes without allocating, unless the field has escapes (rare: backslashes or
 * control characters in the data), which are decoded into a scratch buffer.
 */
export class CopyTextRow {
  /** The bytes of the field `field(i)` selected, in source[start, end). */
  source: Uint8Array = new Uint8Array(0);
  start = 0;
  end = 0;
  /** The number of fields of the last parsed row. */
  count = 0;
  /** The byte length of the last parsed row. */
  length = 0;
  private row: Uint8Array = new Uint8Array(0);
  private readonly starts = new Int32Array(maxFields);
  private readonly ends = new Int32Array(maxFields);
  private readonly escaped = new Uint8Array(maxFields);
  private scratch = Buffer.allocUnsafe(1024);

  /**
   * Splits one COPY data row (as sent, with its final newline): row[start, end), by default all of
   * `row`. Field offsets stay relative to `row`, so a row is parsed where it arrived, without a copy.
   */
  parse(row: Uint8Array, start = 0, end = row.length): void {
    this.row = row;
    this.length = end - start;
    let count = 0;
    let fieldStart = start;
    const last = end > start && row[end - 1] === NEWLINE ? end - 1 : end;
    this.escaped.fill(0);
    for (let i = start; i < last; i++) {
      const byte = row[i];
      if (byte === TAB) {
        this.setField(count++, fieldStart, i);
        fieldStart = i + 1;
      } else if (byte === BACKSLASH) {
        this.escaped[count] = 1;
        i++;
      }
    }
    this.setField(count++, fieldStart, last);
    this.count = count;
  }

  /** Whether field `index` is SQL NULL. */
  isNull(index: number): boolean {
    const start = this.starts[index]!;
    return this.ends[index]! - start === 2 && this.row[start] === BACKSLASH && this.row[start + 1] === 78;
  }

  /** Field `index` as a string (for the rare values that are parsed, such as arrays). */
  text(index: number): string {
    this.field(index);
    return Buffer.from(
      this.source.buffer,
      this.source.byteOffset + this.start,
      this.end - this.start,
    ).toString();
  }

  /** Selects field `index`: sets source, start and end to its unescaped bytes. */
  field(index: number): void {
    const start = this.starts[index]!;
    const end = this.ends[index]!;
    if (this.escaped[index] === 0) {
      this.source = this.row;
      this.start = start;
      this.end = end;
      return;
    }
    this.unescape(start, end);
  }

  private setField(index: number, start: number, end: number): void {
    if (index >= maxFields) throw new Error(`a COPY row has more than ${maxFields} fields`);
    this.starts[index] = start;
    this.ends[index] = end;
  }

  private unescape(start: number, end: number): void {
    if (this.scratch.length < end - start) this.scratch = Buffer.allocUnsafe(2 * (end - start));
    let length = 0;
    for (let i = start; i < end; i++) {
      let byte = this.row[i]!;
      if (byte === BACKSLASH && i + 1 < end) byte = escapes[this.row[++i]!] ?? this.row[i]!;
      this.scratch[length++] = byte;
    }
    this.source = this.scratch;
    this.start = 0;
    this.end = length;
  }
}
