import type { ClientBase } from "pg";
import type { UserRow } from "./user-row.ts";

/** The read_users rows of `ids` that exist (their own fields). */
export async function loadUserRows(db: ClientBase, ids: string[]): Promise<Map<string, UserRow>> {
  const { rows } = await db.query<UserRow>(
    `SELECT user_id AS "userId", email, first_name AS "firstName", last_name AS "lastName", status, roles,
       last_event_at AS "lastEventAt", version::float8 AS version
     FROM read_users WHERE user_id = ANY($1::uuid[])`,
    [ids],
  );
  return new Map(rows.map((row) => [row.userId, row]));
}

/**
 * Writes changed user rows in one statement; a row already at a later version is left alone. Order count
 * and lifetime value are not touched here: they are derived from read_orders (customer-links.ts).
 */
export async function saveUserRows(db: ClientBase, rows: UserRow[]): Promise<void> {
  if (rows.length === 0) return;
  await db.query(
    `INSERT INTO read_users (user_id, email, first_name, last_name, status, roles, last_event_at, version)
     SELECT id, email, first_name, last_name, status, ARRAY(SELECT jsonb_array_elements_text(roles)),
       last_event_at, version
     FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::jsonb[], $7::timestamptz[],
       $8::int8[]) AS t(id, email, first_name, last_name, status, roles, last_event_at, version)
     ON CONFLICT (user_id) DO UPDATE SET email = excluded.email, first_name = excluded.first_name,
       last_name = excluded.last_name, status = excluded.status, roles = excluded.roles,
       last_event_at = excluded.last_event_at, version = excluded.version
     WHERE read_users.version < excluded.version`,
    [
      rows.map((r) => r.userId),
      rows.map((r) => r.email),
      rows.map((r) => r.firstName),
      rows.map((r) => r.lastName),
      rows.map((r) => r.status),
      // unnest can't take a text[][] of ragged rows; one jsonb array per row can.
      rows.map((r) => JSON.stringify(r.roles)),
      rows.map((r) => r.lastEventAt),
      rows.map((r) => r.version),
    ],
  );
}
