import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * A batch claims its request id before it runs (response still NULL), so a concurrent duplicate sees
 * "in progress" instead of executing twice; the response is filled in when the batch completes.
 */
export class BatchRequestClaims1764000000002 implements MigrationInterface {
  name = "BatchRequestClaims1764000000002";

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE batch_requests ALTER COLUMN response DROP NOT NULL;
      ALTER TABLE batch_requests RENAME COLUMN created_at TO claimed_at;
      ALTER TABLE batch_requests ADD COLUMN completed_at timestamptz;
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      DELETE FROM batch_requests WHERE response IS NULL;
      ALTER TABLE batch_requests DROP COLUMN completed_at;
      ALTER TABLE batch_requests RENAME COLUMN claimed_at TO created_at;
      ALTER TABLE batch_requests ALTER COLUMN response SET NOT NULL;
    `);
  }
}
