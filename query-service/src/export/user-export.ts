import type { Pool } from "pg";
import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { UserRowSchema, type UserRow } from "@conveyor/proto/conveyor/query/v1/exports_pb";
import { UserStatus } from "@conveyor/proto/conveyor/types/v1/types_pb";

interface ReadUserRow {
  user_id: string;
  email: string;
  first_name: string;
  last_name: string;
  status: keyof typeof UserStatus;
  roles: string[];
  order_count: number;
  lifetime_value_minor: string;
  last_event_at: Date;
}

/** Streams read_users in key order, one page per chunk, inside one repeatable-read snapshot. */
export async function* exportUsers(pool: Pool, afterKey: string | undefined, chunkSize: number) {
  const db = await pool.connect();
  try {
    await db.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    let cursor = afterKey ?? "00000000-0000-0000-0000-000000000000";
    for (;;) {
      const { rows } = await db.query<ReadUserRow>(
        `SELECT user_id, email, first_name, last_name, status, roles, order_count, lifetime_value_minor, last_event_at
         FROM read_users WHERE user_id > $1 ORDER BY user_id LIMIT $2`,
        [cursor, chunkSize],
      );
      if (rows.length === 0) break;
      cursor = rows.at(-1)!.user_id;
      yield { rows: rows.map(toUserRow), lastKey: cursor };
      if (rows.length < chunkSize) break;
    }
    await db.query("COMMIT");
  } finally {
    db.release();
  }
}

function toUserRow(row: ReadUserRow): UserRow {
  return create(UserRowSchema, {
    userId: row.user_id,
    email: row.email,
    firstName: row.first_name,
    lastName: row.last_name,
    status: UserStatus[row.status],
    roles: row.roles,
    orderCount: row.order_count,
    lifetimeValueMinor: BigInt(row.lifetime_value_minor),
    lastEventAt: timestampFromDate(row.last_event_at),
  });
}
