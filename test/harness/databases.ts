import { randomBytes } from "node:crypto";
import { inject } from "vitest";
import { databaseUrl, withClient } from "../../deploy/local/postgres.ts";

/** Every test database's name starts with this; leftovers of interrupted runs are dropped at the next start. */
const namePrefix = "test_";

export interface TestDatabase {
  name: string;
  url: string;
  /** Drops the database, ending any connection still open to it. */
  drop(): Promise<void>;
}

/** A fresh, empty database on the test server, named after `label` plus a random suffix. */
export async function createTestDatabase(label: string): Promise<TestDatabase> {
  const adminUrl = inject("databaseAdminUrl");
  const name = `${namePrefix}${slug(label)}_${randomBytes(4).toString("hex")}`;
  await withClient(adminUrl, (client) => client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`));
  return {
    name,
    url: databaseUrl(adminUrl, name),
    drop: () => dropDatabase(adminUrl, name),
  };
}

/** Drops the test databases an interrupted earlier run left behind (only for a server the tests own). */
export async function dropLeftoverTestDatabases(adminUrl: string): Promise<void> {
  const found = await withClient(adminUrl, (client) =>
    client.query<{ datname: string }>("SELECT datname FROM pg_database WHERE starts_with(datname, $1)", [
      namePrefix,
    ]),
  );
  for (const { datname } of found.rows) await dropDatabase(adminUrl, datname);
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
