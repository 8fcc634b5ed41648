import pg from "pg";
import type { Logger } from "@conveyor/runtime";
import { hasReached } from "../projection/consistency.ts";
import { CursorCodec } from "./cursor/cursor-codec.ts";
import { CursorSigner } from "./cursor/cursor-signer.ts";
import type { ExportMetrics } from "./export-metrics.ts";
import type { ExportDeps } from "./export-runner.ts";
import { type ExportSettings, exportSessionTimeouts } from "./export-settings.ts";
import { SnapshotHolders } from "./parallel/snapshot-holders.ts";
import { type ConsistencyCheck, consistencyGate } from "./read-your-writes.ts";
import { StreamSlots } from "./stream/stream-slots.ts";

/** The application_name of export connections, as pg_stat_activity shows it. */
export const EXPORT_APPLICATION_NAME = "conveyor-query-export";

export interface ExportServiceOptions {
  databaseUrl: string;
  settings: ExportSettings;
  logger: Logger;
  /** The read-your-writes check; by default the projector's `hasReached` on the read database. */
  consistencyCheck?: ConsistencyCheck;
  /** Where exports count their rows and durations. */
  metrics?: ExportMetrics;
}

export interface ExportService {
  deps: ExportDeps;
  /** Releases held snapshots and closes the export connections (after the server stopped streaming). */
  close(): Promise<void>;
}

/**
 * The export engine's resources: a pool of its own (long streams must not starve the projector),
 * sized to the stream limit, whose sessions speak what the encoders read (UTC ISO timestamps) and
 * notice a vanished client within a second even in the middle of a long query.
 */
export function createExportService({
  databaseUrl,
  settings,
  logger,
  consistencyCheck,
  metrics,
}: ExportServiceOptions): ExportService {
  if (settings.cursorKeyGenerated)
    logger.warn(
      "EXPORT_CURSOR_KEY is not set: cursors are signed with a random key and die with this process",
    );
  const timeouts = exportSessionTimeouts(settings);
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    // One connection per stream slot, plus room for consistency checks, which run before a slot is taken.
    max: settings.maxStreams + 2,
    application_name: EXPORT_APPLICATION_NAME,
    options: [
      "-c TimeZone=UTC",
      "-c DateStyle=ISO",
      "-c standard_conforming_strings=on",
      "-c client_connection_check_interval=1000",
      `-c statement_timeout=${timeouts.statementTimeoutMs}`,
      `-c idle_in_transaction_session_timeout=${timeouts.idleInTransactionTimeoutMs}`,
    ].join(" "),
  });
  pool.on("error", (error) => logger.warn({ err: error }, "idle export connection failed"));
  const holders = new SnapshotHolders(settings.snapshotHoldMs);
  const deps: ExportDeps = {
    pool,
    slots: new StreamSlots(settings.maxStreams),
    settings,
    codec: new CursorCodec(new CursorSigner(settings.cursorKey)),
    consistency: consistencyGate(
      consistencyCheck ?? ((token) => hasReached(pool, token)),
      settings.consistencyWaitMs,
    ),
    holders,
    ...(metrics && { metrics }),
  };
  return {
    deps,
    async close() {
      await holders.releaseAll();
      await pool.end();
    },
  };
}
