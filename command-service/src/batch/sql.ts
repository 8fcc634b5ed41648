import type pg from "pg";
import type { DataSource, QueryRunner } from "typeorm";

/** A SQL statement prepared once per connection under its name: the batch's statements are few and hot. */
export interface Statement {
  name: string;
  text: string;
}

/** Runs statements on one connection (and, when there is one, in its transaction). */
export interface Sql {
  query<Row>(statement: Statement, values: unknown[]): Promise<Row[]>;
}

/**
 * Runs `work` on one pooled connection, optionally in a transaction that commits when `work` resolves
 * and rolls back when it throws. TypeORM owns the connection and the transaction; statements go to its
 * pg connection as named prepared statements, which TypeORM's query() can't send (planning the
 * write CTEs cost about twice as much as running them).
 */
export async function withSql<T>(
  dataSource: DataSource,
  options: { transaction: boolean },
  work: (sql: Sql) => Promise<T>,
): Promise<T> {
  const runner = dataSource.createQueryRunner();
  try {
    const sql = await sqlOf(runner);
    if (!options.transaction) return await work(sql);
    await runner.startTransaction();
    try {
      const result = await work(sql);
      await runner.commitTransaction();
      return result;
    } catch (error) {
      await runner.rollbackTransaction();
      throw error;
    }
  } finally {
    await runner.release();
  }
}

async function sqlOf(runner: QueryRunner): Promise<Sql> {
  const client = (await runner.connect()) as pg.PoolClient;
  return {
    async query<Row>(statement: Statement, values: unknown[]) {
      const result = await client.query({ name: statement.name, text: statement.text, values });
      return result.rows as Row[];
    },
  };
}

/** Loads rows of `table` by id (`$1`, a uuid array) in id order, as a plain and a row-locking statement. */
export function loadByIds(table: string, columns: string): { locked: Statement; unlocked: Statement } {
  const statement = (lock: boolean): Statement => ({
    name: `load-${table}${lock ? "-locked" : ""}`,
    text: `SELECT ${columns} FROM ${table} WHERE id = ANY($1::uuid[]) ORDER BY id ${lock ? "FOR NO KEY UPDATE" : ""}`,
  });
  return { locked: statement(true), unlocked: statement(false) };
}
