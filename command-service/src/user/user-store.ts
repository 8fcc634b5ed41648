import type { EntityManager } from "typeorm";
import { ConcurrencyConflict, InvariantViolation } from "@conveyor/errors";
import type { User } from "./domain/user.ts";
import { outboxColumns, outboxInsertColumns, outboxRowsSql, type OutboxEvent } from "../outbox/outbox-event.ts";

interface UserRow {
  id: string;
  email: string;
  first_name: string;
  last_name: string;
  status: User["status"];
  roles: string[];
  version: string;
}

/** Loads a user and locks its row until the transaction ends. */
export async function loadUserForUpdate(db: EntityManager, id: string): Promise<User | undefined> {
  const rows: UserRow[] = await db.query(
    "SELECT id, email, first_name, last_name, status, roles, version FROM users WHERE id = $1 FOR UPDATE",
    [id],
  );
  const row = rows[0];
  return row && {
    id: row.id,
    email: row.email,
    firstName: row.first_name,
    lastName: row.last_name,
    status: row.status,
    roles: row.roles,
    version: Number(row.version),
  };
}

/**
 * Writes a user's new state and its outbox events in one statement. The row is only written when it
 * is still at `previousVersion`, and the events only when the row was written.
 */
export async function saveUser(db: EntityManager, user: User, previousVersion: number, events: OutboxEvent[]) {
  const sql = `
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
    RETURNING id`;
  const params = [user.id, user.email, user.firstName, user.lastName, user.status, user.roles, user.version];
  try {
    const inserted: unknown[] = await db.query(sql, [...params, previousVersion, ...outboxColumns(events)]);
    if (inserted.length !== events.length) throw new ConcurrencyConflict(user.id, previousVersion, -1);
  } catch (error) {
    if (isUniqueViolation(error, "users_email_key")) throw new InvariantViolation(`email ${user.email} is already in use`);
    throw error;
  }
}

function isUniqueViolation(error: unknown, constraint: string): boolean {
  const pgError = error as { driverError?: { code?: string; constraint?: string } };
  return pgError.driverError?.code === "23505" && pgError.driverError.constraint === constraint;
}
