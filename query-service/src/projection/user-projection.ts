import type { PoolClient } from "pg";
import { timestampDate } from "@bufbuild/protobuf/wkt";
import type { EventEnvelope } from "@conveyor/proto/conveyor/events/v1/events_pb";
import { UserStatus } from "@conveyor/proto/conveyor/types/v1/types_pb";

/** Applies one user event to read_users (and the customer fields of read_orders). Older versions change nothing. */
export async function projectUserEvent(db: PoolClient, event: EventEnvelope): Promise<void> {
  const at = timestampDate(event.occurredAt!);
  const { aggregateId: id } = event;
  const version = Number(event.aggregateVersion);
  const payload = event.payload;
  switch (payload.case) {
    case "userCreated": {
      const { email, firstName, lastName, status, roles } = payload.value;
      await db.query(
        `INSERT INTO read_users (user_id, email, first_name, last_name, status, roles, last_event_at, version)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (user_id) DO NOTHING`,
        [id, email, firstName, lastName, UserStatus[status], roles, at, version],
      );
      await refreshCustomerOnOrders(db, id);
      return;
    }
    case "userEmailChanged":
      await updateUser(db, id, version, at, "email = $4", [payload.value.email]);
      await refreshCustomerOnOrders(db, id);
      return;
    default:
      return;
  }
}

async function updateUser(db: PoolClient, id: string, version: number, at: Date, set: string, values: unknown[]) {
  await db.query(
    `UPDATE read_users SET ${set}, version = $2, last_event_at = $3 WHERE user_id = $1 AND version < $2`,
    [id, version, at, ...values],
  );
}

/** One set-based statement copies the customer's current email and name onto all their order rows. */
async function refreshCustomerOnOrders(db: PoolClient, userId: string) {
  await db.query(
    `UPDATE read_orders o SET customer_email = u.email, customer_name = u.first_name || ' ' || u.last_name
     FROM read_users u WHERE u.user_id = $1 AND o.customer_id = $1`,
    [userId],
  );
}
