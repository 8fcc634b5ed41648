import { NotFoundError } from "@conveyor/errors";
import type { Change } from "../batch/aggregate-kind.ts";
import type { Sql, Statement } from "../batch/sql.ts";
import { runSave, insertOutboxSql } from "../batch/outbox-insert.ts";
import { isForeignKeyViolation } from "../batch/pg-error.ts";
import type { Order } from "./domain/order-state.ts";

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

// $1: the new states (plus `expected`: the version each was read at, 0 for a new order); $2: the new
// lines. Lines are only ever appended, so the new ones are those past the line count an order had before.
const save: Statement = {
  name: "save-orders",
  text: `
  WITH rows AS (
    SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, "customerId" uuid, "orderDate" timestamptz,
      status text, line1 text, line2 text, city text, "postalCode" text, country text, "cancelReason" text,
      version int8, expected int8)),
  created AS (
    INSERT INTO orders (id, customer_id, order_date, status, ship_line1, ship_line2, ship_city, ship_postal_code,
      ship_country, cancel_reason, version)
    SELECT id, "customerId", "orderDate", status, line1, line2, city, "postalCode", country, "cancelReason", version
    FROM rows WHERE expected = 0
    ON CONFLICT (id) DO NOTHING
    RETURNING id),
  updated AS (
    UPDATE orders o SET status = r.status, ship_line1 = r.line1, ship_line2 = r.line2, ship_city = r.city,
      ship_postal_code = r."postalCode", ship_country = r.country, cancel_reason = r."cancelReason",
      version = r.version, updated_at = now()
    FROM rows r WHERE r.expected > 0 AND o.id = r.id AND o.version = r.expected
    RETURNING o.id),
  saved AS (SELECT id FROM created UNION ALL SELECT id FROM updated),
  new_lines AS (
    INSERT INTO order_items (order_id, line_no, sku, quantity, unit_price_minor)
    SELECT l."orderId", l."lineNo", l.sku, l.quantity, l."unitPriceMinor"
    FROM jsonb_to_recordset($2::jsonb) AS l("orderId" uuid, "lineNo" int, sku text, quantity int, "unitPriceMinor" int8)
    WHERE l."orderId" = ANY (ARRAY(SELECT id FROM saved))),
  events AS (${insertOutboxSql(3, "SELECT id FROM saved")})
  SELECT id FROM saved`,
};

/**
 * Writes orders' new states, their new lines and their outbox events in one statement, each order only
 * if its row is still at the version it was read at. Returns the ids written.
 */
export async function saveOrders(sql: Sql, changes: Change<Order>[]): Promise<Set<string>> {
  const rows = changes.map(({ before, after }) => ({
    id: after.id,
    customerId: after.customerId,
    orderDate: after.orderDate,
    status: after.status,
    ...after.shippingAddress,
    cancelReason: after.cancelReason ?? null,
    version: after.version,
    expected: before?.version ?? 0,
  }));
  const lines = changes.flatMap(({ before, after }) => newLines(before, after));
  const events = changes.flatMap((change) => change.events);
  return runSave(sql, save, rows, events, [JSON.stringify(lines)]);
}

/** What a failed write of one order means in domain terms: its customer does not exist. */
export function orderWriteError(error: unknown, { after }: Change<Order>): Error | undefined {
  if (isForeignKeyViolation(error, "orders_customer_id_fkey"))
    return new NotFoundError(`customer ${after.customerId} does not exist`);
  return undefined;
}

function newLines(before: Order | undefined, after: Order) {
  const first = before?.items.length ?? 0;
  return after.items.slice(first).map((item, offset) => ({
    orderId: after.id,
    lineNo: first + offset + 1,
    sku: item.sku,
    quantity: item.quantity,
    // A string: int64 minor units may exceed what a JSON number holds exactly.
    unitPriceMinor: item.unitPriceMinor.toString(),
  }));
}
