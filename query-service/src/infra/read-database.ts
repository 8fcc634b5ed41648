import { migrate } from "@conveyor/persistence";
import { ReadModel1764000000001 } from "./migrations/0001-read-model.ts";
import { ProjectionState1764000000002 } from "./migrations/0002-projection-state.ts";
import { ExportChangeTracking1764000000600 } from "./migrations/0006-export-change-tracking.ts";

const migrations = [ReadModel1764000000001, ProjectionState1764000000002, ExportChangeTracking1764000000600];

/** Applies the read model's migrations. */
export function migrateReadDatabase(url: string): Promise<void> {
  return migrate({ url, migrations, applicationName: "conveyor-query-migrate" });
}
