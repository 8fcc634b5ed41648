import pg from "pg";
import { integer } from "@conveyor/runtime";
import { startEmbeddedPostgres } from "../../../deploy/local/embedded-postgres.ts";
import { cachePath } from "../../../deploy/local/paths.ts";
import { databaseUrl, withClient } from "../../../deploy/local/postgres.ts";
import { migrateReadDatabase } from "../../../query-service/src/infra/read-database.ts";

export interface BenchDatabase {
  url: string;
  description: string;
  stop(): Promise<void>;
}

/**
 * A read database with `rows` orders, kept between runs (seeding 10M rows takes minutes): on
 * BENCH_DATABASE_ADMIN_URL's server, else an embedded one (.cache/postgres-bench-export, port
 * BENCH_EXPORT_POSTGRES_PORT or 54332). The database is named after the row count and reused when
 * it already holds them.
 */
export async function benchReadDatabase(rows: number, env = process.env): Promise<BenchDatabase> {
  const server = env.BENCH_DATABASE_ADMIN_URL
    ? {
        adminUrl: env.BENCH_DATABASE_ADMIN_URL,
        stop: () => Promise.resolve(),
        description: "BENCH_DATABASE_ADMIN_URL",
      }
    : await embedded(env);
  const name = `bench_export_${rows}`;
  const url = databaseUrl(server.adminUrl, name);
  if (!(await holdsRows(server.adminUrl, name, rows))) await seed(server.adminUrl, name, url, rows);
  return { url, description: server.description, stop: server.stop };
}

async function embedded(env: Record<string, string | undefined>) {
  const { adminUrl, server } = await startEmbeddedPostgres({
    dataDir: cachePath("postgres-bench-export"),
    port: integer(env, "BENCH_EXPORT_POSTGRES_PORT", 54332),
    settings: { synchronous_commit: "off", shared_buffers: "1GB", max_wal_size: "8GB" },
  });
  return { adminUrl, stop: () => server.stop(), description: "embedded PostgreSQL 17, shared_buffers=1GB" };
}

async function holdsRows(adminUrl: string, name: string, rows: number): Promise<boolean> {
  const exists = await withClient(adminUrl, (client) =>
    client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]),
  );
  if (exists.rowCount === 0) return false;
  return withClient(databaseUrl(adminUrl, name), async (client) => {
    const { rows: found } = await client
      .query<{ count: string }>("SELECT count(*) FROM read_orders")
      .catch(() => ({ rows: [{ count: "-1" }] }));
    return Number(found[0]!.count) === rows;
  });
}

/** Orders with time-ordered keys (as UUIDv7 gives), in key order on the heap, like a projected table. */
async function seed(adminUrl: string, name: string, url: string, rows: number): Promise<void> {
  console.log(`  seeding ${rows.toLocaleString("en-US")} orders into ${name} (once; kept for later runs)...`);
  await withClient(adminUrl, async (client) => {
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${name}`);
  });
  await migrateReadDatabase(url);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(
      `INSERT INTO read_orders (order_id, order_date, status, customer_id, customer_email, customer_name, item_count,
         total_minor, ship_line1, ship_line2, ship_city, ship_postal_code, ship_country, last_event_at, version)
       SELECT ('01900000-0000-7000-8000-' || lpad(to_hex(i), 12, '0'))::uuid,
         timestamptz '2024-01-01' + i * interval '1 second', (ARRAY['PLACED','PAID','SHIPPED','CANCELLED'])[1 + i % 4],
         ('01800000-0000-7000-8000-' || lpad(to_hex(i % 100000), 12, '0'))::uuid,
         'customer' || i % 100000 || '@example.com', 'Customer ' || i % 100000, 1 + i % 5, (i * 37) % 100000,
         i || ' Main Street', CASE WHEN i % 10 = 0 THEN 'Apt, "4"' ELSE '' END, 'Berlin', lpad((i % 99999)::text, 5, '0'), 'DE',
         timestamptz '2024-06-01' + i * interval '1 millisecond', 3
       FROM generate_series(1, $1::bigint) i`,
      [rows],
    );
    await client.query("VACUUM ANALYZE read_orders");
  } finally {
    await client.end();
  }
}
