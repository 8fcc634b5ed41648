import type { ExportKind } from "../entities/column.ts";

/**
 * Which snapshot the rows of a key range were read in: keys after the previous segment's `upTo` up to
 * and including this `upTo` (null: to the end of the range). `snapshot` is pg_current_snapshot() text.
 */
export interface Segment {
  upTo: string | null;
  snapshot: string;
}

/** Everything a cursor carries. */
export interface CursorState {
  kind: ExportKind;
  /** An export streams every selected row; a changes stream only rows changed since `base`. */
  mode: "export" | "changes";
  /** The digest of the filter the export runs with. */
  filter: string;
  /** The key range (lo, hi] this export covers; unset ends are open. */
  lo?: string;
  hi?: string;
  /** The key of the last row sent; unset before the first. */
  after?: string;
  /** Records sent so far, across resumed streams. */
  rows: number;
  /** The snapshots the keys in (lo, after] were read in; all of (lo, hi] once complete. */
  read: Segment[];
  /** Changes streams: the position changes are measured from, for keys after `after`. */
  base?: Segment[];
  /** A parallel part not yet started: the exported snapshot it must read. */
  snapshot?: string;
  complete?: boolean;
}

/** `segments` extended so that keys up to `upTo` count as read in `snapshot`. */
export function extendRead(segments: readonly Segment[], upTo: string | null, snapshot: string): Segment[] {
  const last = segments.at(-1);
  if (last?.snapshot === snapshot) return [...segments.slice(0, -1), { upTo, snapshot }];
  return [...segments, { upTo, snapshot }];
}

/** The base segments that still cover keys after `after`. */
export function remainingBase(base: readonly Segment[], after: string | undefined): Segment[] {
  if (after === undefined) return [...base];
  return base.filter((segment) => segment.upTo === null || segment.upTo > after);
}
