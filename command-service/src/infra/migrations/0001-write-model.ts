import type { MigrationInterface, QueryRunner } from "typeorm";

/** The normalized write model, the transactional outbox, and the batch idempotency/audit tables. */
export class WriteModel0001 implements MigrationInterface {
  // TypeORM reads a migration's timestamp from the last 13 digits of its name.
  name = "WriteModel1764000000001";

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE users (
        id uuid PRIMARY KEY,
        email text NOT NULL,
        first_name text NOT NULL,
        last_name text NOT NULL,
        status text NOT NULL CHECK (status IN ('PENDING', 'ACTIVE', 'SUSPENDED')),
        roles text[] NOT NULL DEFAULT '{}',
        version bigint NOT NULL CHECK (version > 0),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE UNIQUE INDEX users_email_key ON users (lower(email));
      CREATE INDEX users_status_idx ON users (status);

      CREATE TABLE orders (
        id uuid PRIMARY KEY,
        customer_id uuid NOT NULL REFERENCES users (id),
        order_date timestamptz NOT NULL,
        status text NOT NULL CHECK (status IN ('PLACED', 'PAID', 'SHIPPED', 'CANCELLED')),
        ship_line1 text NOT NULL,
        ship_line2 text NOT NULL DEFAULT '',
        ship_city text NOT NULL,
        ship_postal_code text NOT NULL,
        ship_country text NOT NULL,
        cancel_reason text,
        version bigint NOT NULL CHECK (version > 0),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX orders_customer_idx ON orders (customer_id);
      CREATE INDEX orders_status_date_idx ON orders (status, order_date);

      CREATE TABLE order_items (
        order_id uuid NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
        line_no int NOT NULL,
        sku text NOT NULL,
        quantity int NOT NULL CHECK (quantity > 0),
        unit_price_minor bigint NOT NULL CHECK (unit_price_minor >= 0),
        PRIMARY KEY (order_id, line_no)
      );

      CREATE TABLE tasks (
        id uuid PRIMARY KEY,
        title text NOT NULL,
        month smallint NOT NULL CHECK (month BETWEEN 1 AND 12),
        category text NOT NULL,
        completed boolean NOT NULL DEFAULT false,
        execution_date timestamptz,
        version bigint NOT NULL CHECK (version > 0),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX tasks_month_category_idx ON tasks (month, category);

      -- payload is the event message in protobuf JSON form, so set-based SQL can write events too;
      -- the relay encodes the protobuf envelope when it publishes.
      CREATE TABLE outbox (
        id bigserial PRIMARY KEY,
        event_id uuid NOT NULL,
        aggregate_type text NOT NULL,
        aggregate_id uuid NOT NULL,
        aggregate_version bigint NOT NULL,
        event_type text NOT NULL,
        payload jsonb NOT NULL,
        occurred_at timestamptz NOT NULL DEFAULT now(),
        correlation_id text NOT NULL DEFAULT '',
        causation_id text NOT NULL DEFAULT '',
        trace_context text NOT NULL DEFAULT '',
        published_at timestamptz
      );
      CREATE INDEX outbox_unpublished_idx ON outbox (id) WHERE published_at IS NULL;

      CREATE TABLE batch_requests (
        request_id text PRIMARY KEY,
        payload_sha256 bytea NOT NULL,
        response bytea NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      );

      CREATE TABLE batch_audit (
        batch_id text NOT NULL,
        principal text NOT NULL,
        executed_at timestamptz NOT NULL,
        total_commands int NOT NULL,
        successful_aggregates int NOT NULL,
        failed_aggregates int NOT NULL,
        duration_ms double precision NOT NULL
      );
      CREATE INDEX batch_audit_time_idx ON batch_audit (executed_at);
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query("DROP TABLE batch_audit, batch_requests, outbox, tasks, order_items, orders, users");
  }
}
