import type { ClientBase } from "pg";

// Lock stripes for customers: enough to rarely collide, few enough to stay clear of the lock table's size.
const stripes = 1024;
const lockNamespace = 0x6f726473; // "ords"

/**
 * Serializes the transactions that touch one customer's order rows and user row across topics (a
 * projector on the users topic and one on the orders topic may run at once, e.g. in two replicas):
 * without it, an order inserted while its customer's email changes could keep the old email. Stripes are
 * taken in order, so two batches never deadlock on them.
 */
export async function lockCustomers(db: ClientBase, customerIds: Iterable<string>): Promise<void> {
  const keys = [...new Set([...customerIds].map(stripeOf))].sort((a, b) => a - b);
  if (keys.length === 0) return;
  await db.query("SELECT pg_advisory_xact_lock($1, k) FROM unnest($2::int4[]) AS k ORDER BY k", [
    lockNamespace,
    keys,
  ]);
}

function stripeOf(id: string): number {
  let hash = 0;
  for (let i = 0; i < id.length; i++) hash = (hash * 31 + id.charCodeAt(i)) | 0;
  return Math.abs(hash) % stripes;
}

/** Copies the customers' current email and name onto all their order rows, in one statement. */
export async function refreshCustomerOnOrders(db: ClientBase, userIds: string[]): Promise<void> {
  if (userIds.length === 0) return;
  await db.query(
    `UPDATE read_orders o SET customer_email = u.email, customer_name = u.first_name || ' ' || u.last_name
     FROM read_users u
     WHERE u.user_id = ANY($1::uuid[]) AND o.customer_id = u.user_id
       AND (o.customer_email, o.customer_name) IS DISTINCT FROM (u.email, u.first_name || ' ' || u.last_name)`,
    [userIds],
  );
}

/**
 * Recomputes the customers' order count (every order) and lifetime value (totals of the orders not
 * cancelled) from read_orders, in one statement: derived, not incremented, so it converges whatever the
 * order in which users and orders arrive.
 */
export async function refreshCustomerStats(db: ClientBase, userIds: string[]): Promise<void> {
  if (userIds.length === 0) return;
  await db.query(
    `UPDATE read_users u SET order_count = s.order_count, lifetime_value_minor = s.lifetime_value_minor
     FROM (
       SELECT c.id, count(o.order_id)::int AS order_count,
         coalesce(sum(o.total_minor) FILTER (WHERE o.status <> 'CANCELLED'), 0) AS lifetime_value_minor
       FROM unnest($1::uuid[]) AS c(id) LEFT JOIN read_orders o ON o.customer_id = c.id
       GROUP BY c.id
     ) s
     WHERE u.user_id = s.id
       AND (u.order_count, u.lifetime_value_minor) IS DISTINCT FROM (s.order_count, s.lifetime_value_minor)`,
    [userIds],
  );
}
