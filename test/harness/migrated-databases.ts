import { migrateWriteDatabase } from "@conveyor/command-service";
import { migrateReadDatabase } from "@conveyor/query-service";
import { createTestDatabase, type TestDatabase } from "./databases.ts";

/** A fresh database with command-service's write model migrated in. */
export function createWriteDatabase(label: string): Promise<TestDatabase> {
  return createMigratedDatabase(`${label}_write`, migrateWriteDatabase);
}

/** A fresh database with query-service's read model migrated in. */
export function createReadDatabase(label: string): Promise<TestDatabase> {
  return createMigratedDatabase(`${label}_read`, migrateReadDatabase);
}

async function createMigratedDatabase(
  label: string,
  migrate: (url: string) => Promise<void>,
): Promise<TestDatabase> {
  const database = await createTestDatabase(label);
  try {
    await migrate(database.url);
  } catch (error) {
    await database.drop();
    throw error;
  }
  return database;
}
