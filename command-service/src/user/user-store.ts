import { InvariantViolation } from "@conveyor/errors";
import type { Change } from "../batch/aggregate-kind.ts";
import { insertOutboxSql, saveFlatStates } from "../batch/outbox-insert.ts";
import { isUniqueViolation } from "../batch/pg-error.ts";
import { loadByIds, type Sql, type Statement } from "../batch/sql.ts";
import type { User } from "./domain/user.ts";

interface UserRow {
  id: string;
  email: string;
  first_name: string;
  last_name: string;
  status: User["status"];
  roles: string[];
  version: number;
}

const load = loadByIds("users", "id, email, first_name, last_name, status, roles, version::int AS version");

/** Loads the users that exist among `ids`, optionally locking their rows in id order. */
export async function loadUsers(sql: Sql, ids: string[], lock: boolean): Promise<User[]> {
  const rows = await sql.query<UserRow>(lock ? load.locked : load.unlocked, [ids]);
  return rows.map((row) => ({
    id: row.id,
    email: row.email,
    firstName: row.first_name,
    lastName: row.last_name,
    status: row.status,
    roles: row.roles,
    version: row.version,
  }));
}

// $1: the new states (a User each, plus `expected`: the version it was read at, 0 for a new user).
const save: Statement = {
  name: "save-users",
  text: `
  WITH rows AS (
    SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, email text, "firstName" text, "lastName" text,
      status text, roles text[], version int8, expected int8)),
  created AS (
    INSERT INTO users (id, email, first_name, last_name, status, roles, version)
    SELECT id, email, "firstName", "lastName", status, roles, version FROM rows WHERE expected = 0
    ON CONFLICT (id) DO NOTHING
    RETURNING id),
  updated AS (
    UPDATE users u SET email = r.email, first_name = r."firstName", last_name = r."lastName", status = r.status,
      roles = r.roles, version = r.version, updated_at = now()
    FROM rows r WHERE r.expected > 0 AND u.id = r.id AND u.version = r.expected
    RETURNING u.id),
  saved AS (SELECT id FROM created UNION ALL SELECT id FROM updated),
  events AS (${insertOutboxSql(2, "SELECT id FROM saved")})
  SELECT id FROM saved`,
};

/**
 * Writes users' new states and their outbox events in one statement, each user only if its row is
 * still at the version it was read at. Returns the ids written.
 */
export function saveUsers(sql: Sql, changes: Change<User>[]): Promise<Set<string>> {
  return saveFlatStates(sql, save, changes);
}

/** What a failed write of one user means in domain terms: its email is taken. */
export function userWriteError(error: unknown, { after }: Change<User>): Error | undefined {
  if (isUniqueViolation(error, "users_email_key"))
    return new InvariantViolation(`email ${after.email} is already in use`);
  return undefined;
}
