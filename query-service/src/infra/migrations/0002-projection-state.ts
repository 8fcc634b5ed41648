import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * The projector's own state, written in the same transaction as the rows it projects: per Kafka partition
 * the next offset to apply (the read model's position, authoritative over the consumer group's offsets),
 * and the relay watermarks that consistency tokens are checked against. Plus an index that lets a
 * customer's order count and lifetime value be recomputed from the index alone.
 */
export class ProjectionState1764000000002 implements MigrationInterface {
  // TypeORM reads a migration's timestamp from the last 13 digits of its name.
  name = "ProjectionState1764000000002";

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE projection_offsets (
        topic text NOT NULL,
        partition int NOT NULL,
        -- NULL: the partition is known but nothing of it applied yet.
        next_offset bigint,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (topic, partition)
      );

      CREATE TABLE projection_watermarks (
        horizon bigint PRIMARY KEY,
        topics text[] NOT NULL,
        partitions int[] NOT NULL,
        end_offsets bigint[] NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now()
      );

      DROP INDEX read_orders_customer_idx;
      CREATE INDEX read_orders_customer_idx ON read_orders (customer_id, order_id) INCLUDE (status, total_minor);
      DROP INDEX read_orders_date_idx;
      CREATE INDEX read_orders_date_idx ON read_orders (order_date, order_id);
      CREATE INDEX read_tasks_category_idx ON read_tasks (category, task_id);
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      DROP INDEX read_tasks_category_idx;
      DROP INDEX read_orders_date_idx;
      CREATE INDEX read_orders_date_idx ON read_orders (order_date);
      DROP INDEX read_orders_customer_idx;
      CREATE INDEX read_orders_customer_idx ON read_orders (customer_id, order_id);
      DROP TABLE projection_watermarks, projection_offsets;
    `);
  }
}
