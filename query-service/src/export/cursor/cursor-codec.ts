import { ValidationError } from "@conveyor/errors";
import type { ExportKind } from "../entities/column.ts";
import { isUuid } from "../filters/sql-literal.ts";
import type { CursorSigner } from "./cursor-signer.ts";
import type { CursorState, Segment } from "./cursor-state.ts";

const FIELD = "options.cursor";
const snapshotShape = /^\d+:\d+:(\d+(,\d+)*)?$/;
const exportedSnapshotShape = /^[0-9A-F]+-[0-9A-F]+(-[0-9]+)?$/;

/** Turns cursor states into signed opaque strings and back, refusing anything altered or foreign. */
export class CursorCodec {
  constructor(private readonly signer: CursorSigner) {}

  encode(state: CursorState): string {
    return this.signer.sign(state);
  }

  /**
   * The state of `token`, which must have been issued for an export of `kind` with the filter whose
   * digest is `filter`; otherwise INVALID_ARGUMENT on options.cursor.
   */
  decode(token: string, kind: ExportKind, filter: string): CursorState {
    const payload = this.signer.verify(token);
    if (!isCursorState(payload))
      throw new ValidationError(FIELD, "was altered or was not issued by this server");
    if (payload.kind !== kind)
      throw new ValidationError(FIELD, `belongs to an export of ${payload.kind}, not ${kind}`);
    if (payload.filter !== filter)
      throw new ValidationError(FIELD, "belongs to an export with another filter");
    return payload;
  }
}

function isCursorState(value: unknown): value is CursorState {
  if (typeof value !== "object" || value === null) return false;
  const state = value as Record<string, unknown>;
  return (
    ["orders", "tasks", "users"].includes(state.kind as string) &&
    ["export", "changes"].includes(state.mode as string) &&
    typeof state.filter === "string" &&
    ["lo", "hi", "after"].every((key) => state[key] === undefined || isKey(state[key])) &&
    Number.isSafeInteger(state.rows) &&
    isSegments(state.read) &&
    (state.base === undefined || isSegments(state.base)) &&
    (state.snapshot === undefined ||
      (typeof state.snapshot === "string" && exportedSnapshotShape.test(state.snapshot))) &&
    (state.complete === undefined || state.complete === true)
  );
}

function isKey(value: unknown): boolean {
  return typeof value === "string" && isUuid(value);
}

function isSegments(value: unknown): value is Segment[] {
  return (
    Array.isArray(value) &&
    value.every(
      (segment: Segment) =>
        typeof segment === "object" &&
        segment !== null &&
        (segment.upTo === null || isKey(segment.upTo)) &&
        typeof segment.snapshot === "string" &&
        snapshotShape.test(segment.snapshot),
    )
  );
}
