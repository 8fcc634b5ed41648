import { ValidationError } from "@conveyor/errors";
import { isStorableText } from "./sql.ts";

/** The earliest and latest instants a specification accepts: years 1 to 9999, UTC. */
export const earliestDate = new Date("0001-01-01T00:00:00.000Z");
export const latestDate = new Date("9999-12-31T23:59:59.999Z");

/**
 * Returns `value` when PostgreSQL stores it exactly as memory holds it (no NUL, no unpaired surrogate,
 * at most `maxLength` characters), else throws a ValidationError for `field`.
 */
export function storableText(value: string, field: string, maxLength: number): string {
  if (!isStorableText(value))
    throw new ValidationError(field, "must be valid UTF-8 text without NUL characters");
  if (value.length > maxLength) throw new ValidationError(field, `must be at most ${maxLength} characters`);
  return value;
}

/** Returns `value` when it is a valid date within years 1 to 9999, else throws a ValidationError for `field`. */
export function storableDate(value: Date, field: string): Date {
  const time = value.getTime();
  if (!(time >= earliestDate.getTime() && time <= latestDate.getTime())) {
    throw new ValidationError(field, "must be a date between years 1 and 9999");
  }
  return value;
}
