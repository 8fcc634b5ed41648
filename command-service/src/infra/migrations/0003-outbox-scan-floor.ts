import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * An outbox row's id is drawn only after its transaction has an id (pg_current_xact_id() is evaluated
 * first, left to right). The relay relies on it to stop rescanning ids it has settled: any row with an id
 * below a sequence value read before a snapshot belongs to a transaction that snapshot already knows.
 */
export class OutboxScanFloor0003 implements MigrationInterface {
  // TypeORM reads a migration's timestamp from the last 13 digits of its name.
  name = "OutboxScanFloor1764000000013";

  async up(db: QueryRunner): Promise<void> {
    await db.query(
      "ALTER TABLE outbox ALTER COLUMN id SET DEFAULT (0 * pg_current_xact_id()::text::int8) + nextval('outbox_id_seq')",
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query("ALTER TABLE outbox ALTER COLUMN id SET DEFAULT nextval('outbox_id_seq')");
  }
}
