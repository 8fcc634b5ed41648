import pg from "pg";

/**
 * A summary of everything a request can write to the write database: the aggregates (with their
 * versions), order lines, the batch idempotency and audit rows, and every outbox row ever inserted.
 * The relay deletes outbox rows once Kafka has them, so a trigger the fuzzer installs counts inserts
 * in a table of its own.
 */
export class WriteFingerprint {
  private constructor(private readonly pool: pg.Pool) {}

  static async install(writeDatabaseUrl: string): Promise<WriteFingerprint> {
    const pool = new pg.Pool({ connectionString: writeDatabaseUrl, max: 1 });
    await pool.query(`
      CREATE TABLE fuzz_outbox_inserts (event_id uuid NOT NULL);
      CREATE FUNCTION fuzz_count_outbox_insert() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO fuzz_outbox_inserts VALUES (NEW.event_id);
        RETURN NULL;
      END $$;
      CREATE TRIGGER fuzz_outbox_inserts AFTER INSERT ON outbox
        FOR EACH ROW EXECUTE FUNCTION fuzz_count_outbox_insert();
    `);
    return new WriteFingerprint(pool);
  }

  /** One line that changes whenever anything is written. */
  async read(): Promise<string> {
    const { rows } = await this.pool.query<{ fingerprint: string }>(`
      SELECT concat_ws(' ',
        'users', (SELECT count(*) || '/' || coalesce(sum(version), 0) FROM users),
        'orders', (SELECT count(*) || '/' || coalesce(sum(version), 0) FROM orders),
        'order_items', (SELECT count(*) FROM order_items),
        'tasks', (SELECT count(*) || '/' || coalesce(sum(version), 0) FROM tasks),
        'batch_requests', (SELECT count(*) FROM batch_requests),
        'batch_audit', (SELECT count(*) FROM batch_audit),
        'outbox_inserts', (SELECT count(*) FROM fuzz_outbox_inserts)) AS fingerprint`);
    return rows[0]!.fingerprint;
  }

  /** Ids of existing aggregates, for valid requests that change them. */
  async ids(table: "users" | "orders" | "tasks", limit: number): Promise<string[]> {
    const { rows } = await this.pool.query<{ id: string }>(
      `SELECT id FROM ${table} ORDER BY random() LIMIT $1`,
      [limit],
    );
    return rows.map((row) => row.id);
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}
