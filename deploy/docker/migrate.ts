// Container entry (`migrate.ts write` / `migrate.ts read`): applies one database's migrations and exits.
// Every replica's init step runs it; an advisory lock makes concurrent runs take turns instead of racing.
import pg from "pg";

const databases = {
  write: {
    variable: "WRITE_DATABASE_URL",
    migrate: async (url: string) => (await import("@conveyor/command-service")).migrateWriteDatabase(url),
  },
  read: {
    variable: "READ_DATABASE_URL",
    migrate: async (url: string) => (await import("@conveyor/query-service")).migrateReadDatabase(url),
  },
};

const which = process.argv[2];
if (which !== "write" && which !== "read") throw new Error(`usage: migrate.ts write|read, got "${which}"`);
const { variable, migrate } = databases[which];
const url = process.env[variable];
if (!url) throw new Error(`${variable} is not set`);

const lock = new pg.Client({ connectionString: url, application_name: "conveyor-migrate" });
await lock.connect();
try {
  await lock.query("SELECT pg_advisory_lock(hashtext('conveyor.migrate'))");
  await migrate(url);
  console.log(JSON.stringify({ msg: "migrated", database: which }));
} finally {
  await lock.end();
}
