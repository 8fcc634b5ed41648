import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * The denormalized read model: one flat row per exported record, with what the export needs joined in,
 * keyed by the aggregate id (UUIDv7, so key order follows creation order).
 */
export class ReadModel1764000000001 implements MigrationInterface {
  // TypeORM reads a migration's timestamp from the last 13 digits of its name.
  name = "ReadModel1764000000001";

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE read_users (
        user_id uuid PRIMARY KEY,
        email text NOT NULL,
        first_name text NOT NULL,
        last_name text NOT NULL,
        status text NOT NULL,
        roles text[] NOT NULL DEFAULT '{}',
        order_count int NOT NULL DEFAULT 0,
        lifetime_value_minor bigint NOT NULL DEFAULT 0,
        last_event_at timestamptz NOT NULL,
        version bigint NOT NULL
      );
      CREATE INDEX read_users_status_idx ON read_users (status, user_id);

      CREATE TABLE read_orders (
        order_id uuid PRIMARY KEY,
        order_date timestamptz NOT NULL,
        status text NOT NULL,
        customer_id uuid NOT NULL,
        customer_email text NOT NULL DEFAULT '',
        customer_name text NOT NULL DEFAULT '',
        item_count int NOT NULL DEFAULT 0,
        total_minor bigint NOT NULL DEFAULT 0,
        ship_line1 text NOT NULL DEFAULT '',
        ship_line2 text NOT NULL DEFAULT '',
        ship_city text NOT NULL DEFAULT '',
        ship_postal_code text NOT NULL DEFAULT '',
        ship_country text NOT NULL DEFAULT '',
        last_event_at timestamptz NOT NULL,
        version bigint NOT NULL
      );
      CREATE INDEX read_orders_customer_idx ON read_orders (customer_id, order_id);
      CREATE INDEX read_orders_status_idx ON read_orders (status, order_id);
      CREATE INDEX read_orders_date_idx ON read_orders (order_date);

      CREATE TABLE read_tasks (
        task_id uuid PRIMARY KEY,
        title text NOT NULL,
        month smallint NOT NULL,
        category text NOT NULL,
        completed boolean NOT NULL DEFAULT false,
        execution_date timestamptz,
        last_event_at timestamptz NOT NULL,
        version bigint NOT NULL
      );
      CREATE INDEX read_tasks_month_category_idx ON read_tasks (month, category, task_id);
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query("DROP TABLE read_tasks, read_orders, read_users");
  }
}
