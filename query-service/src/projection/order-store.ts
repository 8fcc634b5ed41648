import type { ClientBase } from "pg";
import type { OrderRow } from "./order-row.ts";

interface OrderRecord extends Omit<OrderRow, "totalMinor" | "shipping"> {
  totalMinor: string;
  line1: string;
  line2: string;
  city: string;
  postalCode: string;
  country: string;
}

/** The read_orders rows of `ids` that exist (the order's own fields). */
export async function loadOrderRows(db: ClientBase, ids: string[]): Promise<Map<string, OrderRow>> {
  const { rows } = await db.query<OrderRecord>(
    `SELECT order_id AS "orderId", order_date AS "orderDate", status, customer_id AS "customerId",
       item_count AS "itemCount", total_minor::text AS "totalMinor", ship_line1 AS line1, ship_line2 AS line2,
       ship_city AS city, ship_postal_code AS "postalCode", ship_country AS country,
       last_event_at AS "lastEventAt", version::float8 AS version
     FROM read_orders WHERE order_id = ANY($1::uuid[])`,
    [ids],
  );
  return new Map(rows.map((row) => [row.orderId, toOrderRow(row)]));
}

function toOrderRow({ totalMinor, line1, line2, city, postalCode, country, ...rest }: OrderRecord): OrderRow {
  return { ...rest, totalMinor: BigInt(totalMinor), shipping: { line1, line2, city, postalCode, country } };
}

/**
 * Writes changed order rows in one statement; a row already at a later version is left alone. A new row
 * takes its customer's email and name from read_users (empty until the user arrives); later changes to
 * them come from customer-links.ts, so an update leaves them as they are.
 */
export async function saveOrderRows(db: ClientBase, rows: OrderRow[]): Promise<void> {
  if (rows.length === 0) return;
  await db.query(
    `INSERT INTO read_orders (order_id, order_date, status, customer_id, customer_email, customer_name, item_count,
       total_minor, ship_line1, ship_line2, ship_city, ship_postal_code, ship_country, last_event_at, version)
     SELECT o.id, o.order_date, o.status, o.customer_id, coalesce(u.email, ''),
       coalesce(u.first_name || ' ' || u.last_name, ''), o.item_count, o.total_minor, o.line1, o.line2, o.city,
       o.postal_code, o.country, o.last_event_at, o.version
     FROM unnest($1::uuid[], $2::timestamptz[], $3::text[], $4::uuid[], $5::int4[], $6::int8[], $7::text[],
       $8::text[], $9::text[], $10::text[], $11::text[], $12::timestamptz[], $13::int8[])
       AS o(id, order_date, status, customer_id, item_count, total_minor, line1, line2, city, postal_code, country,
         last_event_at, version)
     LEFT JOIN read_users u ON u.user_id = o.customer_id
     ON CONFLICT (order_id) DO UPDATE SET status = excluded.status, item_count = excluded.item_count,
       total_minor = excluded.total_minor, ship_line1 = excluded.ship_line1, ship_line2 = excluded.ship_line2,
       ship_city = excluded.ship_city, ship_postal_code = excluded.ship_postal_code,
       ship_country = excluded.ship_country, last_event_at = excluded.last_event_at, version = excluded.version
     WHERE read_orders.version < excluded.version`,
    [
      rows.map((r) => r.orderId),
      rows.map((r) => r.orderDate),
      rows.map((r) => r.status),
      rows.map((r) => r.customerId),
      rows.map((r) => r.itemCount),
      rows.map((r) => r.totalMinor.toString()),
      rows.map((r) => r.shipping.line1),
      rows.map((r) => r.shipping.line2),
      rows.map((r) => r.shipping.city),
      rows.map((r) => r.shipping.postalCode),
      rows.map((r) => r.shipping.country),
      rows.map((r) => r.lastEventAt),
      rows.map((r) => r.version),
    ],
  );
}
