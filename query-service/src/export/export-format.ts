import { ValidationError } from "@conveyor/errors";
import { ExportFormat } from "@conveyor/proto/conveyor/query/v1/exports_pb";
import type { Column } from "./entities/column.ts";
import { csvEncoder } from "./encoding/csv-encoder.ts";
import { ndjsonEncoder } from "./encoding/ndjson-encoder.ts";
import { protoRowEncoder } from "./encoding/proto-row-encoder.ts";
import type { RowEncoder } from "./encoding/row-encoder.ts";
import type { ChunkPolicy } from "./stream/chunker.ts";

/** Most rows one message may hold (ExportOptions.chunk_size). */
export const MAX_CHUNK_ROWS = 10_000;
/**
 * Bytes after which a default-sized message ends: tens of KiB, so each is cheap to frame and
 * flow-control, and large enough that the cost every message carries whatever its size (cursor, response
 * and envelope, the stream's write) stays small per row: with 32 KiB, NDJSON (twice CSV's bytes per row)
 * spent about a quarter more server CPU per row than with 64 KiB (test/bench/export.ts).
 */
export const DEFAULT_CHUNK_BYTES = 64 * 1024;
/** Bytes after which any message ends, so one stays well under the 4 MiB gRPC clients accept by default. */
export const MAX_CHUNK_BYTES = 1024 * 1024;

/** The encoder of a requested format (UNSPECIFIED: typed rows). */
export function encoderFor(format: ExportFormat, columns: readonly Column[]): RowEncoder {
  switch (format) {
    case ExportFormat.UNSPECIFIED:
    case ExportFormat.ROWS:
      return protoRowEncoder(columns);
    case ExportFormat.CSV:
      return csvEncoder(columns);
    case ExportFormat.NDJSON:
      return ndjsonEncoder(columns);
    default:
      throw new ValidationError("options.format", "is not a known format");
  }
}

/** Whether the format's bytes go in `data` (else typed rows in `rows`). */
export function isByteFormat(format: ExportFormat): boolean {
  return format === ExportFormat.CSV || format === ExportFormat.NDJSON;
}

/** The chunk policy for ExportOptions.chunk_size (0: about DEFAULT_CHUNK_BYTES per message). */
export function chunkPolicy(chunkSize: number): ChunkPolicy {
  if (chunkSize > MAX_CHUNK_ROWS)
    throw new ValidationError("options.chunk_size", `must be at most ${MAX_CHUNK_ROWS}`);
  if (chunkSize === 0) return { maxRows: MAX_CHUNK_ROWS, maxBytes: DEFAULT_CHUNK_BYTES };
  return { maxRows: chunkSize, maxBytes: MAX_CHUNK_BYTES };
}
