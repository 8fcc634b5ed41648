const ZERO = 48;

/**
 * Reads PostgreSQL's timestamptz output for sessions with DateStyle=ISO and TimeZone=UTC:
 * "YYYY-MM-DD HH:MM:SS[.ffffff]+00". Other spellings (BC, years past 9999, infinity) cannot come
 * from the read model, whose times come from protobuf Timestamps (years 1 to 9999).
 */
function checkShape(source: Uint8Array, start: number, end: number): void {
  const ok =
    end - start >= 22 &&
    source[start + 4] === 45 &&
    source[start + 10] === 32 &&
    source[end - 3] === 43 &&
    source[end - 2] === ZERO &&
    source[end - 1] === ZERO;
  if (!ok)
    throw new Error(`unexpected timestamp text: ${Buffer.from(source.subarray(start, end)).toString()}`);
}

/** Writes the RFC 3339 form ("YYYY-MM-DDTHH:MM:SS[.ffffff]Z") into `out` at `at`; returns the end. */
export function writeRfc3339(
  source: Uint8Array,
  start: number,
  end: number,
  out: Uint8Array,
  at: number,
): number {
  checkShape(source, start, end);
  const length = end - 3 - start;
  for (let i = 0; i < length; i++) out[at + i] = source[start + i]!;
  out[at + 10] = 84; // "T"
  out[at + length] = 90; // "Z"
  return at + length + 1;
}

/** Seconds since the Unix epoch and nanoseconds, as google.protobuf.Timestamp holds them. */
export interface TimestampParts {
  seconds: number;
  nanos: number;
}

/** Parses the timestamp into `parts` (reused, to avoid an object per value). */
export function readTimestamp(source: Uint8Array, start: number, end: number, parts: TimestampParts): void {
  checkShape(source, start, end);
  const days = daysFromCivil(
    digits(source, start, 4),
    digits(source, start + 5, 2),
    digits(source, start + 8, 2),
  );
  const time =
    digits(source, start + 11, 2) * 3600 + digits(source, start + 14, 2) * 60 + digits(source, start + 17, 2);
  parts.seconds = days * 86_400 + time;
  let nanos = 0;
  let scale = 100_000_000;
  for (let i = start + 20; i < end - 3; i++, scale /= 10) nanos += (source[i]! - ZERO) * scale;
  parts.nanos = nanos;
}

function digits(source: Uint8Array, at: number, count: number): number {
  let value = 0;
  for (let i = at; i < at + count; i++) value = value * 10 + source[i]! - ZERO;
  return value;
}

/** Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}
