import { ValidationError } from "@conveyor/errors";
import type { CursorCodec } from "./cursor/cursor-codec.ts";
import { type CursorState, extendRead, remainingBase } from "./cursor/cursor-state.ts";
import type { ExportKind } from "./entities/column.ts";
import type { ExportChunk } from "./stream/chunker.ts";

const FIELD = "options.cursor";

/** Where an export stream starts: from scratch, or from the cursor of an earlier message. */
export function startingState(
  codec: CursorCodec,
  cursor: string,
  kind: ExportKind,
  filter: string,
  mode: CursorState["mode"],
): CursorState {
  if (!cursor) {
    if (mode === "changes")
      throw new ValidationError(FIELD, "is required: the final cursor of a completed export");
    return { kind, mode, filter, rows: 0, read: [] };
  }
  const state = codec.decode(cursor, kind, filter);
  if (mode === "export") {
    if (state.mode !== "export")
      throw new ValidationError(FIELD, "belongs to a changes stream, not an export");
    return state;
  }
  if (!state.complete) {
    if (state.mode === "export")
      throw new ValidationError(FIELD, "is not the final cursor of a completed export");
    return state;
  }
  return { kind, mode, filter, lo: state.lo, hi: state.hi, rows: 0, read: [], base: state.read };
}

/** The state after a chunk read in `snapshot` was sent. */
export function afterChunk(state: CursorState, chunk: ExportChunk, snapshot: string): CursorState {
  return {
    ...state,
    after: chunk.lastKey,
    rows: state.rows + chunk.rows + chunk.removedIds.length,
    read: extendRead(state.read, chunk.lastKey, snapshot),
    base: state.base && remainingBase(state.base, chunk.lastKey),
    snapshot: undefined,
  };
}

/** The state once every key of the range was read (the last part in `snapshot`). */
export function completed(state: CursorState, snapshot: string): CursorState {
  return {
    ...state,
    read: extendRead(state.read, null, snapshot),
    base: undefined,
    snapshot: undefined,
    complete: true,
  };
}

/** Whether the stream starts at the very beginning of the export (where the CSV header goes). */
export function startsAtBeginning(state: CursorState): boolean {
  return state.rows === 0 && state.after === undefined && state.lo === undefined;
}
