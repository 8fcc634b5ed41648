import { NotFoundError } from "@conveyor/errors";
import type { Change } from "../batch/aggregate-kind.ts";
import type { Sql, Statement } from "../batch/sql.ts";
import { isForeignKeyViolation } from "../batch/pg-error.ts";
import { outboxColumns, outboxInsertColumns, outboxRowsSql } from "../outbox/outbox-event.ts";
import type { Order, OrderItem } from "./domain/order-state.ts";

interface OrderRow {
  id: string;
  customer_id: string;
  order_date: Date;
  status: Order["status"];
  ship_line1: string;
  ship_line2: string;
  ship_city: string;
  ship_postal_code: string;
  ship_country: string;
  cancel_reason: string | null;
  version: number;
  items: { sku: string; quantity: number; unitPriceMinor: string }[];
}

const load: Statement = {
  name: "load-orders",
  text: `SELECT o.id, o.customer_id, o.order_date, o.status, o.ship_line1, o.ship_line2, o.ship_city,
      o.ship_postal_code, o.ship_country, o.cancel_reason, o.version::int AS version,
      coalesce((SELECT json_agg(json_build_object('sku', i.sku, 'quantity', i.quantity,
          'unitPriceMinor', i.unit_price_minor::text) ORDER BY i.line_no)
        FROM order_items i WHERE i.order_id = o.id), '[]') AS items
    FROM orders o WHERE o.id = ANY($1::uuid[]) ORDER BY o.id`,
};

const lock: Statement = {
  name: "lock-orders",
  text: "SELECT id FROM orders WHERE id = ANY($1::uuid[]) ORDER BY id FOR NO KEY UPDATE",
};

/**
 * Loads the orders that exist among `ids` with their items, optionally locking the order rows in id
 * order first. Locking is its own statement: a statement that waited for a lock still reads the items
 * as they were when it started, missing lines the lock holder added.
 */
export async function loadOrders(sql: Sql, ids: string[], locked: boolean): Promise<Order[]> {
  if (locked) await sql.query(lock, [ids]);
  const rows = await sql.query<OrderRow>(load, [ids]);
  return rows.map(toOrder);
}

function toOrder(row: OrderRow): Order {
  return {
    id: row.id,
    customerId: row.customer_id,
    orderDate: row.order_date,
    status: row.status,
    items: row.items.map((item) => ({ ...item, unitPriceMinor: BigInt(item.unitPriceMinor) })),
    shippingAddress: {
      line1: row.ship_line1,
      line2: row.ship_line2,
      city: row.ship_city,
      postalCode: row.ship_postal_code,
      country: row.ship_country,
    },
    ...(row.cancel_reason !== null && { cancelReason: row.cancel_reason }),
    version: row.version,
  };
}

// Lines are only ever appended, so the new ones are those past the line count the order had before.
const save: Statement = {
  name: "save-order",
  text: `
  WITH saved AS (
    INSERT INTO orders (id, customer_id, order_date, status, ship_line1, ship_line2, ship_city, ship_postal_code,
      ship_country, cancel_reason, version)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
    ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status, ship_line1 = EXCLUDED.ship_line1,
      ship_line2 = EXCLUDED.ship_line2, ship_city = EXCLUDED.ship_city, ship_postal_code = EXCLUDED.ship_postal_code,
      ship_country = EXCLUDED.ship_country, cancel_reason = EXCLUDED.cancel_reason, version = EXCLUDED.version,
      updated_at = now()
    WHERE orders.version = $12
    RETURNING id),
  new_items AS (
    INSERT INTO order_items (order_id, line_no, sku, quantity, unit_price_minor)
    SELECT $1, line.* FROM unnest($13::int[], $14::text[], $15::int[], $16::int8[]) AS line
    WHERE EXISTS (SELECT 1 FROM saved))
  INSERT INTO outbox (${outboxInsertColumns})
  SELECT events.* FROM (${outboxRowsSql(17)}) AS events WHERE EXISTS (SELECT 1 FROM saved)
  RETURNING id`,
};

/** Writes an order's new state, its new lines and its outbox events in one statement, if the row is still where it was read. */
export async function saveOrder(sql: Sql, { before, after, events }: Change<Order>): Promise<boolean> {
  const address = after.shippingAddress;
  const state = [
    after.id,
    after.customerId,
    after.orderDate,
    after.status,
    address.line1,
    address.line2,
    address.city,
    address.postalCode,
    address.country,
    after.cancelReason ?? null,
    after.version,
  ];
  const firstNewLine = before?.items.length ?? 0;
  const lines = lineColumns(after.items.slice(firstNewLine), firstNewLine + 1);
  try {
    const inserted = await sql.query(save, [
      ...state,
      before?.version ?? 0,
      ...lines,
      ...outboxColumns(events),
    ]);
    return inserted.length === events.length;
  } catch (error) {
    if (isForeignKeyViolation(error, "orders_customer_id_fkey")) {
      throw new NotFoundError(`customer ${after.customerId} does not exist`);
    }
    throw error;
  }
}

function lineColumns(items: OrderItem[], firstLineNo: number): unknown[] {
  return [
    items.map((_, offset) => firstLineNo + offset),
    items.map((item) => item.sku),
    items.map((item) => item.quantity),
    items.map((item) => item.unitPriceMinor.toString()),
  ];
}
