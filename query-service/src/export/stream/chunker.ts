import { CopyTextRow } from "../encoding/copy-text-row.ts";
import { OutputBuffer } from "../encoding/output-buffer.ts";
import type { RowEncoder } from "../encoding/row-encoder.ts";

/** One streamed message's worth of rows, already encoded. */
export interface ExportChunk {
  /** The encoded rows (CSV or NDJSON text, or the wire bytes of the `rows` field). */
  data: Buffer;
  rows: number;
  /** Keys of changed rows that no longer match the filter (changes streams only). */
  removedIds: string[];
  /** The key of the chunk's last row (matching or not): the resume point. */
  lastKey: string;
}

/** When a chunk is complete: `maxRows` records, or `maxBytes` encoded bytes, whichever comes first. */
export interface ChunkPolicy {
  maxRows: number;
  maxBytes: number;
}

const KEY_LENGTH = 36;
/** Room for the row that ends a message past `maxBytes` (a row's worst case is a few KiB), so buffers rarely grow. */
const ROW_ROOM = 16 * 1024;
/** The largest buffer made up front: those of large custom chunk sizes grow as needed. */
const MAX_INITIAL_BUFFER = 128 * 1024;
const MARKER_TRUE = 116;

/**
 * Encodes COPY rows into chunks. Every row starts with its uuid key (36 bytes, never escaped). With
 * `withMatchMarker`, rows end with one more boolean column saying whether the row matches the filter;
 * rows that don't contribute only their key, to `removedIds`.
 */
export class Chunker {
  private readonly out: OutputBuffer;
  private readonly row = new CopyTextRow();
  private readonly lastKey = Buffer.alloc(KEY_LENGTH);
  private rows = 0;
  private removedIds: string[] = [];
  /** Receives each completed chunk (set by whoever runs the COPY). */
  onChunk: ((chunk: ExportChunk) => void) | undefined;

  constructor(
    private readonly encoder: RowEncoder,
    private readonly policy: ChunkPolicy,
    private readonly withMatchMarker: boolean,
  ) {
    this.out = new OutputBuffer(Math.min(policy.maxBytes + ROW_ROOM, MAX_INITIAL_BUFFER));
  }

  /** Puts bytes (the CSV header) before the next row. */
  prepend(bytes: Buffer): void {
    this.out.append(bytes);
  }

  /** Handles one COPY data row, bytes[start, end). The bytes are only valid during the call. */
  onRow(bytes: Uint8Array, start = 0, end = bytes.length): void {
    for (let i = 0; i < KEY_LENGTH; i++) this.lastKey[i] = bytes[start + i]!;
    this.row.parse(bytes, start, end);
    if (this.withMatchMarker && !this.matches()) this.removedIds.push(this.lastKey.toString("latin1"));
    else {
      this.encoder.encode(this.row, this.out);
      this.rows++;
    }
    if (this.rows + this.removedIds.length >= this.policy.maxRows || this.out.length >= this.policy.maxBytes)
      this.flush();
  }

  /** Emits the rows so far as a chunk, if there are any. */
  flush(): void {
    if (this.rows === 0 && this.removedIds.length === 0) return;
    const chunk = { rows: this.rows, removedIds: this.removedIds, lastKey: this.lastKey.toString("latin1") };
    this.rows = 0;
    this.removedIds = [];
    this.onChunk?.({ ...chunk, data: this.out.take() });
  }

  /** Takes back a chunk's data once it has been sent (serialized into the response). */
  recycle(data: Buffer): void {
    this.out.recycle(data);
  }

  /** Bytes prepended but not yet emitted (the header of an export that selected no rows). */
  takeLeftover(): Buffer {
    return this.out.take();
  }

  private matches(): boolean {
    this.row.field(this.row.count - 1);
    return this.row.source[this.row.start] === MARKER_TRUE;
  }
}
