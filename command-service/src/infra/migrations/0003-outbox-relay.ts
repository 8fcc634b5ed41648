import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * The outbox as the relay uses it: a statement-level trigger wakes the relay (NOTIFY is sent at commit,
 * once per statement however many rows it inserted), and rows are deleted once Kafka acknowledged them,
 * so the table only ever holds the backlog: `published_at` and its partial index have no use left.
 * Autovacuum runs early because the table churns.
 */
export class OutboxRelay0003 implements MigrationInterface {
  // TypeORM reads a migration's timestamp from the last 13 digits of its name.
  name = "OutboxRelay1764000000003";

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE FUNCTION notify_outbox_relay() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('conveyor_outbox', '');
        RETURN NULL;
      END $$;
      CREATE TRIGGER outbox_notify_relay AFTER INSERT ON outbox
        FOR EACH STATEMENT EXECUTE FUNCTION notify_outbox_relay();

      DROP INDEX outbox_unpublished_idx;
      ALTER TABLE outbox DROP COLUMN published_at;
      ALTER TABLE outbox SET (autovacuum_vacuum_scale_factor = 0.01, autovacuum_vacuum_threshold = 1000,
        autovacuum_vacuum_insert_scale_factor = 0.01);
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE outbox RESET (autovacuum_vacuum_scale_factor, autovacuum_vacuum_threshold,
        autovacuum_vacuum_insert_scale_factor);
      ALTER TABLE outbox ADD COLUMN published_at timestamptz;
      CREATE INDEX outbox_unpublished_idx ON outbox (id) WHERE published_at IS NULL;
      DROP TRIGGER outbox_notify_relay ON outbox;
      DROP FUNCTION notify_outbox_relay();
    `);
  }
}
