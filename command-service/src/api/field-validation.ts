import { timestampDate, type Timestamp } from "@bufbuild/protobuf/wkt";
import { ValidationError } from "@conveyor/errors";
import { storableDate, storableText } from "@conveyor/specification";

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Text PostgreSQL stores exactly (no NUL, no lone surrogate) of at most `max` characters; may be empty. */
export function text(value: string, field: string, max: number): string {
  return storableText(value, field, max);
}

/** Like `text`, but not empty or blank. */
export function requiredText(value: string, field: string, max: number): string {
  if (value.trim() === "") throw new ValidationError(field, "must not be empty");
  return text(value, field, max);
}

/** A UUID, lower-cased. */
export function uuid(value: string, field: string): string {
  if (!uuidPattern.test(value)) throw new ValidationError(field, "must be a UUID");
  return value.toLowerCase();
}

/** A whole number in [min, max]. */
export function integerIn(value: number | bigint, field: string, min: number, max: number): number {
  const number = Number(value);
  if (!Number.isSafeInteger(number) || number < min || number > max) {
    throw new ValidationError(field, `must be a whole number from ${min} to ${max}`);
  }
  return number;
}

/** A set timestamp between years 1 and 9999. */
export function requiredTimestamp(value: Timestamp | undefined, field: string): Date {
  if (!value) throw new ValidationError(field, "is required");
  return optionalTimestamp(value, field)!;
}

export function optionalTimestamp(value: Timestamp | undefined, field: string): Date | undefined {
  if (!value) return undefined;
  if (!Number.isInteger(value.nanos) || value.nanos < 0 || value.nanos > 999_999_999) {
    throw new ValidationError(`${field}.nanos`, "must be from 0 to 999999999");
  }
  return storableDate(timestampDate(value), field);
}

/** A known, specified enum value: its name without the prefix, e.g. "ACTIVE" for USER_STATUS_ACTIVE. */
export function enumName<N extends string>(value: number, names: Record<number, string>, field: string): N {
  const name = names[value];
  if (name === undefined || value === 0)
    throw new ValidationError(field, `unknown or unspecified value ${value}`);
  return name as N;
}

/** At most `max` entries. */
export function listOf<T>(values: T[], field: string, max: number): T[] {
  if (values.length > max) throw new ValidationError(field, `must have at most ${max} entries`);
  return values;
}
