import type { DataSource } from "typeorm";
import { migrate, openDataSource } from "@conveyor/persistence";
import { WriteModel0001 } from "./migrations/0001-write-model.ts";
import { BatchRequestClaims1764000000002 } from "./migrations/0002-batch-request-claims.ts";
import { OutboxRelay0003 } from "./migrations/0003-outbox-relay.ts";
import { OutboxScanFloor0003 } from "./migrations/0003-outbox-scan-floor.ts";

const migrations = [WriteModel0001, BatchRequestClaims1764000000002, OutboxRelay0003, OutboxScanFloor0003];

/** Applies the write model's migrations. */
export function migrateWriteDatabase(url: string): Promise<void> {
  return migrate({ url, migrations, applicationName: "conveyor-command-migrate" });
}

export function openWriteDatabase(url: string, poolSize: number): Promise<DataSource> {
  return openDataSource({ url, migrations, poolSize, applicationName: "conveyor-command-service" });
}
