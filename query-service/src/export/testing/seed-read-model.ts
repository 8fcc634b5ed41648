import type { Pool } from "pg";

/** The key of the i-th seeded row: time-ordered like UUIDv7, so key order is i order. */
export function seededKey(i: number): string {
  return `01900000-0000-7000-8000-${i.toString(16).padStart(12, "0")}`;
}

const keySql = (i: string) => `('01900000-0000-7000-8000-' || lpad(to_hex(${i}), 12, '0'))::uuid`;

/**
 * Inserts orders first..first+count-1 straight into read_orders (fast; the pipeline is not under test):
 * statuses cycle PLACED, PAID, SHIPPED, CANCELLED; 7 customers; order dates one hour apart from 2024-01-01.
 */
export async function seedOrders(pool: Pool, count: number, first = 1): Promise<void> {
  await pool.query(
    `INSERT INTO read_orders (order_id, order_date, status, customer_id, customer_email, customer_name, item_count,
       total_minor, ship_line1, ship_line2, ship_city, ship_postal_code, ship_country, last_event_at, version)
     SELECT ${keySql("i")}, timestamptz '2024-01-01' + i * interval '1 hour',
       (ARRAY['PLACED','PAID','SHIPPED','CANCELLED'])[1 + i % 4], ${keySql("1000000 + i % 7")},
       'customer' || i % 7 || '@example.com', 'Customer ' || i % 7, 1 + i % 5, i * 100,
       i || ' Main Street', '', 'Berlin', lpad((i % 99999)::text, 5, '0'), 'DE',
       timestamptz '2024-06-01' + i * interval '1.5 second', 1
     FROM generate_series($1::int, $2::int) i`,
    [first, first + count - 1],
  );
}

/** Inserts tasks first..first+count-1: months cycle 1..12, categories a/b/c, every third completed. */
export async function seedTasks(pool: Pool, count: number, first = 1): Promise<void> {
  await pool.query(
    `INSERT INTO read_tasks (task_id, title, month, category, completed, execution_date, last_event_at, version)
     SELECT ${keySql("i")}, 'Task ' || i, 1 + i % 12, (ARRAY['a','b','c'])[1 + i % 3], i % 3 = 0,
       CASE WHEN i % 2 = 0 THEN timestamptz '2025-01-01' + i * interval '1 day' END,
       timestamptz '2024-06-01' + i * interval '1 second', 1
     FROM generate_series($1::int, $2::int) i`,
    [first, first + count - 1],
  );
}

/** Inserts users first..first+count-1: statuses cycle PENDING, ACTIVE, SUSPENDED; roles vary. */
export async function seedUsers(pool: Pool, count: number, first = 1): Promise<void> {
  await pool.query(
    `INSERT INTO read_users (user_id, email, first_name, last_name, status, roles, order_count, lifetime_value_minor,
       last_event_at, version)
     SELECT ${keySql("i")}, 'user' || i || '@example.com', 'First' || i, 'Last' || i,
       (ARRAY['PENDING','ACTIVE','SUSPENDED'])[1 + i % 3],
       CASE i % 3 WHEN 0 THEN '{}'::text[] WHEN 1 THEN ARRAY['admin'] ELSE ARRAY['ops', 'a b', 'x"y,z'] END, i % 5, i * 1000,
       timestamptz '2024-06-01' + i * interval '1 second', 1
     FROM generate_series($1::int, $2::int) i`,
    [first, first + count - 1],
  );
}
