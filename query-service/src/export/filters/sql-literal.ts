import { ValidationError } from "@conveyor/errors";

const uuidShape = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * A SQL string literal. COPY cannot take bind parameters, so export filters are rendered as literals;
 * sessions run with standard_conforming_strings=on, so only quotes need doubling.
 */
export function textLiteral(value: string, field: string): string {
  if (value.includes("\0")) throw new ValidationError(field, "must not contain NUL characters");
  return `'${value.replaceAll("'", "''")}'`;
}

/** A uuid literal, after checking the shape (lowercase or uppercase hex, canonical dashes). */
export function uuidLiteral(value: string, field: string): string {
  const normalized = value.toLowerCase();
  if (!uuidShape.test(normalized)) throw new ValidationError(field, "must be a UUID");
  return `'${normalized}'::uuid`;
}

/** A timestamptz literal from an instant. */
export function timestampLiteral(value: Date): string {
  return `'${value.toISOString()}'::timestamptz`;
}

/** Whether `value` is a canonical lowercase uuid (keys in cursors are always this shape). */
export function isUuid(value: string): boolean {
  return uuidShape.test(value);
}
