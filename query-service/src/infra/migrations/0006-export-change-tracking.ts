import type { MigrationInterface, QueryRunner } from "typeorm";

const tables = ["read_orders", "read_tasks", "read_users"];

/**
 * Change tracking for "export, then follow" (the Export*Changes RPCs): every read-model row records the
 * top-level id of the transaction that last wrote it, stamped by a trigger so no projector statement
 * can forget it. An export's position is its pg_snapshot; the rows changed since are exactly those
 * whose changed_xid that snapshot does not see (pg_visible_in_snapshot), found through the index.
 * Rows written before this migration keep NULL: visible to every later snapshot, never "changed".
 */
export class ExportChangeTracking1764000000600 implements MigrationInterface {
  // TypeORM reads a migration's timestamp from the last 13 digits of its name.
  name = "ExportChangeTracking1764000000600";

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE FUNCTION stamp_changed_xid() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        NEW.changed_xid := pg_current_xact_id();
        RETURN NEW;
      END $$;
    `);
    for (const table of tables)
      await db.query(`
        ALTER TABLE ${table} ADD COLUMN changed_xid xid8;
        CREATE TRIGGER ${table}_changed_xid BEFORE INSERT OR UPDATE ON ${table}
          FOR EACH ROW EXECUTE FUNCTION stamp_changed_xid();
        CREATE INDEX ${table}_changed_xid_idx ON ${table} (changed_xid);
      `);
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of tables)
      await db.query(
        `DROP TRIGGER ${table}_changed_xid ON ${table}; ALTER TABLE ${table} DROP COLUMN changed_xid;`,
      );
    await db.query("DROP FUNCTION stamp_changed_xid()");
  }
}
