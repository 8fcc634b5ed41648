import { randomBytes } from "node:crypto";
import { inject } from "vitest";
import { databaseUrl, withClient } from "../../deploy/local/postgres.ts";

export interface TestDatabase {
  name: string;
  url: string;
  /** Drops the database, ending any connection still open to it (fine to pass as `afterAll(database.drop)`). */
  drop: () => Promise<void>;
}

/** A fresh, empty database on the test server, named after `label` plus a random suffix. */
export async function createTestDatabase(label: string): Promise<TestDatabase> {
  const adminUrl = inject("databaseAdminUrl");
  const name = `test_${slug(label)}_${randomBytes(4).toString("hex")}`;
  await withClient(adminUrl, (client) => client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`));
  return {
    name,
    url: databaseUrl(adminUrl, name),
    drop: () => dropDatabase(adminUrl, name),
  };
}

async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  await withClient(adminUrl, (client) =>
    client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)} WITH (FORCE)`),
  );
}

/** Lowercase letters, digits and "_", short enough for PostgreSQL's 63-byte names. */
function slug(label: string): string {
  return label
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .slice(0, 40);
}
