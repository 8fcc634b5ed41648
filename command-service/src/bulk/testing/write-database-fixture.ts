import type { DataSource } from "typeorm";
import { afterAll, beforeAll } from "vitest";
import { createWriteDatabase } from "../../../../test/harness/migrated-databases.ts";
import type { TestDatabase } from "../../../../test/harness/databases.ts";
import { openWriteDatabase } from "../../infra/write-database.ts";

/**
 * For the specs of one file: a fresh, migrated write database with a TypeORM pool of `poolSize`
 * connections, opened before the first spec and dropped after the last.
 */
export function writeDatabaseForFile(label: string, poolSize: number): { readonly db: DataSource } {
  let database: TestDatabase | undefined;
  let dataSource: DataSource | undefined;
  beforeAll(async () => {
    database = await createWriteDatabase(label);
    dataSource = await openWriteDatabase(database.url, poolSize);
  });
  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });
  return {
    get db() {
      if (!dataSource) throw new Error("the write database opens in beforeAll");
      return dataSource;
    },
  };
}
