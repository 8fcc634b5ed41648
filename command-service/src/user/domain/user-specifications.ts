import { ValidationError } from "@conveyor/errors";
import {
  arrayContains,
  fieldEquals,
  specification,
  storableText,
  type Specification,
} from "@conveyor/specification";
import type { User, UserStatus } from "./user.ts";

/** The longest role or email domain a filter may name. */
export const maxUserFilterLength = 253;

/** Users in one status. */
export function userHasStatus(status: UserStatus): Specification<User> {
  return fieldEquals("status", status, `status is ${status}`);
}

/** A suspended user. */
export const userIsSuspended: Specification<User> = userHasStatus("SUSPENDED");

/** Users holding `role` (compared exactly). */
export function userHasRole(role: string): Specification<User> {
  return arrayContains<User>(
    "roles",
    storableText(role, "role", maxUserFilterLength),
    `has role ${JSON.stringify(role)}`,
  );
}

/**
 * Users whose email address is at `domain` (the part after "@", case-insensitive). Stored emails are
 * lower-cased by normalizeEmail, so lower-casing the wanted domain here keeps the comparison exact in
 * both forms (PostgreSQL's lower() would not fold non-ASCII letters the way JavaScript does).
 */
export function userEmailDomainIs(domain: string): Specification<User> {
  const wanted = storableText(domain, "email_domain", maxUserFilterLength).toLowerCase();
  if (wanted === "" || wanted.includes("@"))
    throw new ValidationError("email_domain", "must be a domain name without @");
  return specification({
    description: `email domain is ${JSON.stringify(wanted)}`,
    test: (user) => emailDomain(user.email) === wanted,
    sql: (sql) => `(split_part(${sql.column("email")}, '@', -1) = ${sql.value("email", wanted)})`,
  });
}

function emailDomain(email: string): string {
  return email.slice(email.lastIndexOf("@") + 1);
}
