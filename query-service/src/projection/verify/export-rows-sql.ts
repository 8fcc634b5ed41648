/**
 * For each exported table, the SQL of its rows (as text columns, comparable across databases) on the
 * write database (recomputed from the normalized model) and on the read database, both keyset-paged by
 * id: `$1` is the last id of the previous page, `$2` the page size. Event times (last_event_at) have no
 * counterpart in the write model and are not compared; versions are.
 */
export interface ExportTableSql {
  table: string;
  expected: string;
  actual: string;
}

const epoch = (column: string) => `extract(epoch FROM ${column})::text`;

export const exportTables: ExportTableSql[] = [
  {
    table: "read_users",
    expected: `
      SELECT u.id::text AS id, u.email, u.first_name, u.last_name, u.status, array_to_json(u.roles)::text AS roles,
        count(o.id)::text AS order_count,
        coalesce(sum(t.total) FILTER (WHERE o.status <> 'CANCELLED'), 0)::text AS lifetime_value_minor,
        u.version::text AS version
      FROM (SELECT * FROM users WHERE id > $1 ORDER BY id LIMIT $2) u
      LEFT JOIN orders o ON o.customer_id = u.id
      LEFT JOIN LATERAL (SELECT sum(i.quantity::int8 * i.unit_price_minor) AS total FROM order_items i
        WHERE i.order_id = o.id) t ON true
      GROUP BY u.id, u.email, u.first_name, u.last_name, u.status, u.roles, u.version
      ORDER BY u.id`,
    actual: `
      SELECT user_id::text AS id, email, first_name, last_name, status, array_to_json(roles)::text AS roles,
        order_count::text, lifetime_value_minor::text, version::text
      FROM read_users WHERE user_id > $1 ORDER BY user_id LIMIT $2`,
  },
  {
    table: "read_orders",
    expected: `
      SELECT o.id::text AS id, ${epoch("o.order_date")} AS order_date, o.status, o.customer_id::text AS customer_id,
        u.email AS customer_email, u.first_name || ' ' || u.last_name AS customer_name,
        t.item_count::text AS item_count, t.total::text AS total_minor, o.ship_line1, o.ship_line2, o.ship_city,
        o.ship_postal_code, o.ship_country, o.version::text AS version
      FROM (SELECT * FROM orders WHERE id > $1 ORDER BY id LIMIT $2) o
      JOIN users u ON u.id = o.customer_id
      CROSS JOIN LATERAL (SELECT count(*) AS item_count, coalesce(sum(i.quantity::int8 * i.unit_price_minor), 0) AS total
        FROM order_items i WHERE i.order_id = o.id) t
      ORDER BY o.id`,
    actual: `
      SELECT order_id::text AS id, ${epoch("order_date")} AS order_date, status, customer_id::text, customer_email,
        customer_name, item_count::text, total_minor::text, ship_line1, ship_line2, ship_city, ship_postal_code,
        ship_country, version::text
      FROM read_orders WHERE order_id > $1 ORDER BY order_id LIMIT $2`,
  },
  {
    table: "read_tasks",
    expected: `
      SELECT id::text AS id, title, month::text, category, completed::text, ${epoch("execution_date")} AS execution_date,
        version::text
      FROM tasks WHERE id > $1 ORDER BY id LIMIT $2`,
    actual: `
      SELECT task_id::text AS id, title, month::text, category, completed::text,
        ${epoch("execution_date")} AS execution_date, version::text
      FROM read_tasks WHERE task_id > $1 ORDER BY task_id LIMIT $2`,
  },
];
