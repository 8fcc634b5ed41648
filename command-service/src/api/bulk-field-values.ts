import type { Timestamp } from "@bufbuild/protobuf/wkt";
import { ValidationError } from "@conveyor/errors";
import { earliestDate, latestDate } from "@conveyor/specification";

const earliestSeconds = BigInt(earliestDate.getTime() / 1000);
const latestSeconds = BigInt(Math.floor(latestDate.getTime() / 1000));

/**
 * A request timestamp as a Date. Dates are compared to the millisecond in memory, so a finer timestamp
 * is refused rather than silently rounded (which would move rows across a before/after boundary).
 */
export function toDate(timestamp: Timestamp | undefined, field: string): Date {
  if (!timestamp) throw new ValidationError(field, "required");
  const { seconds, nanos } = timestamp;
  if (nanos < 0 || nanos > 999_999_999 || nanos % 1_000_000 !== 0) {
    throw new ValidationError(field, "must be a whole number of milliseconds (nanos a multiple of 1000000)");
  }
  if (seconds < earliestSeconds || seconds > latestSeconds) {
    throw new ValidationError(field, "must be a date between years 1 and 9999");
  }
  return new Date(Number(seconds) * 1000 + nanos / 1_000_000);
}

/** Runs a domain factory, reporting its ValidationError at `field` (the path of the value in the request). */
export function at<T>(field: string, make: () => T): T {
  try {
    return make();
  } catch (error) {
    if (error instanceof ValidationError) throw new ValidationError(field, error.reason);
    throw error;
  }
}
