import { migrate } from "@conveyor/persistence";
import { ReadModel0001 } from "./migrations/0001-read-model.ts";

const migrations = [ReadModel0001];

/** Applies the read model's migrations. */
export function migrateReadDatabase(url: string): Promise<void> {
  return migrate({ url, migrations, applicationName: "conveyor-query-migrate" });
}
