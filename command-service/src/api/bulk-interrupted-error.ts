import { ConnectError } from "@connectrpc/connect";
import { toConnectError } from "@conveyor/runtime";
import type { BulkUpdateInterrupted } from "../bulk/bulk-errors.ts";

/** Metadata keys reporting what the committed ranges of an interrupted bulk update changed. */
export const bulkProgressMetadata = {
  rangesCommitted: "x-conveyor-bulk-ranges-committed",
  updated: "x-conveyor-bulk-updated",
  eventsWritten: "x-conveyor-bulk-events-written",
} as const;

/**
 * The error of a ranged bulk update that stopped part way: the cause's code (mapped in the one place
 * that maps errors), its message followed by what stayed committed, and that progress as metadata.
 */
export function interruptedError(interrupted: BulkUpdateInterrupted): ConnectError {
  const cause = toConnectError(interrupted.cause);
  const metadata = new Headers(cause.metadata);
  metadata.set(bulkProgressMetadata.rangesCommitted, String(interrupted.committed.rangesCommitted));
  metadata.set(bulkProgressMetadata.updated, String(interrupted.committed.updated));
  metadata.set(bulkProgressMetadata.eventsWritten, String(interrupted.committed.eventsWritten));
  const error = new ConnectError(
    `${cause.rawMessage}; ${interrupted.message}`,
    cause.code,
    metadata,
    [],
    interrupted.cause,
  );
  error.details.push(...cause.details);
  return error;
}
