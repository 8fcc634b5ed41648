import { ConveyorError, InfrastructureError, InvariantViolation } from "@conveyor/errors";
import type { BulkResult } from "./bulk-result.ts";

/** Which key ranges of an interrupted update committed: ordinals in key order, 1 = the first range. */
export interface RangesCommitted {
  committedRanges: number[];
  /** Ranges that started (were cut) before the update stopped. */
  rangesStarted: number;
}

/**
 * A ranged bulk update stopped: `committed` is what its committed ranges changed for good. Ranges that
 * run one after another commit a prefix of the key space; ranges that run at once may commit ranges
 * after the one that failed, and the message then names the committed ones.
 */
export class BulkUpdateInterrupted extends Error {
  constructor(
    readonly committed: BulkResult,
    override readonly cause: unknown,
    readonly ranges?: RangesCommitted,
  ) {
    super(
      `bulk update stopped after ${committed.rangesCommitted} committed range(s) ` +
        `(${committed.updated} aggregate(s) updated, ${committed.eventsWritten} event(s) written)` +
        (ranges && !isPrefix(ranges.committedRanges) ? rangesNamed(ranges) : ""),
      { cause },
    );
  }
}

function isPrefix(ordinals: number[]): boolean {
  return ordinals.every((ordinal, i) => ordinal === i + 1);
}

function rangesNamed({ committedRanges, rangesStarted }: RangesCommitted): string {
  return `; ranges ran at once: committed ${committedRanges.join(", ")} of the ${rangesStarted} started (in key order)`;
}

/** The max-affected guard: more aggregates would change than the caller allows; `unwritten` says what was spared. */
export function tooManyAffected(
  wouldChange: number,
  maxAffected: number,
  unwritten = "nothing was written",
): InvariantViolation {
  return new InvariantViolation(
    `${wouldChange} aggregate(s) would change, more than max_affected ${maxAffected}; ${unwritten}`,
  );
}

// SQLSTATE classes worth a retry: 08 connection, 40 transaction rollback (deadlock, serialization),
// 53 insufficient resources, 57 operator intervention (e.g. shutdown).
const retriableClasses = new Set(["08", "40", "53", "57"]);

/** Domain errors pass through; a database error becomes an InfrastructureError saying whether a retry can help. */
export function asConveyorError(error: unknown): unknown {
  if (error instanceof ConveyorError) return error;
  const code = (error as { driverError?: { code?: unknown }; code?: unknown }).driverError?.code;
  const retriable = typeof code === "string" && retriableClasses.has(code.slice(0, 2));
  const message = error instanceof Error ? error.message : String(error);
  return new InfrastructureError(`bulk update statement failed: ${message}`, retriable, { cause: error });
}
