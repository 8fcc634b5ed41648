import { InvariantViolation } from "@conveyor/errors";

// Deliberately simple: one "@", a dot in the domain, no spaces. Deliverability is not the domain's job.
const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const maxEmailLength = 254;

/** Trims and lower-cases an email, refusing one that is not an address. */
export function normalizeEmail(raw: string): string {
  const email = raw.trim().toLowerCase();
  if (email.length > maxEmailLength || !emailPattern.test(email)) {
    throw new InvariantViolation(`"${raw}" is not a valid email address`);
  }
  return email;
}
