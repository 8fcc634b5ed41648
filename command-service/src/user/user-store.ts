import { InvariantViolation } from "@conveyor/errors";
import type { Change } from "../batch/aggregate-kind.ts";
import { isUniqueViolation } from "../batch/pg-error.ts";
import { loadByIds, type Sql, type Statement } from "../batch/sql.ts";
import { outboxColumns, outboxInsertColumns, outboxRowsSql } from "../outbox/outbox-event.ts";
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

const save: Statement = {
  name: "save-user",
  text: `
  WITH saved AS (
    INSERT INTO users (id, email, first_name, last_name, status, roles, version)
    VALUES ($1, $2, $3, $4, $5, $6, $7)
    ON CONFLICT (id) DO UPDATE SET email = EXCLUDED.email, first_name = EXCLUDED.first_name,
      last_name = EXCLUDED.last_name, status = EXCLUDED.status, roles = EXCLUDED.roles,
      version = EXCLUDED.version, updated_at = now()
    WHERE users.version = $8
    RETURNING id)
  INSERT INTO outbox (${outboxInsertColumns})
  SELECT events.* FROM (${outboxRowsSql(9)}) AS events WHERE EXISTS (SELECT 1 FROM saved)
  RETURNING id`,
};

/** Writes a user's new state and its outbox events in one statement, if the row is still where it was read. */
export async function saveUser(sql: Sql, { before, after, events }: Change<User>): Promise<boolean> {
  const state = [
    after.id,
    after.email,
    after.firstName,
    after.lastName,
    after.status,
    after.roles,
    after.version,
  ];
  try {
    const inserted = await sql.query(save, [...state, before?.version ?? 0, ...outboxColumns(events)]);
    return inserted.length === events.length;
  } catch (error) {
    if (isUniqueViolation(error, "users_email_key")) {
      throw new InvariantViolation(`email ${after.email} is already in use`);
    }
    throw error;
  }
}
