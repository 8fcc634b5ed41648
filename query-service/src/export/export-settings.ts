import { randomBytes } from "node:crypto";
import { type DatabaseLimitLabels, integer } from "@conveyor/runtime";

type Env = Record<string, string | undefined>;

/** Limits and keys of the export server. Every limit is explicit; the env names are in `loadExportSettings`. */
export interface ExportSettings {
  /** HMAC-SHA256 key that signs cursors; must be the same on every replica. */
  cursorKey: Buffer;
  /** Whether `cursorKey` was made up at start (EXPORT_CURSOR_KEY unset): cursors die with the process. */
  cursorKeyGenerated: boolean;
  /** Export streams (and held parallel snapshots) at once; each holds one database connection. */
  maxStreams: number;
  /** Longest an export stream may run before it is stopped with RESOURCE_EXHAUSTED. */
  maxDurationMs: number;
  /** Longest a stream may wait for the client to take the next message before it is stopped. */
  idleWriteTimeoutMs: number;
  /** Longest an export waits for the read model to reach a consistency token. */
  consistencyWaitMs: number;
  /** Most parts PlanParallelExport splits an export into. */
  maxParallelParts: number;
  /** How long a planned parallel snapshot is held open for its parts to start. */
  snapshotHoldMs: number;
}

export const defaultExportSettings: Omit<ExportSettings, "cursorKey" | "cursorKeyGenerated"> = {
  maxStreams: 16,
  maxDurationMs: 60 * 60_000,
  idleWriteTimeoutMs: 60_000,
  consistencyWaitMs: 10_000,
  maxParallelParts: 8,
  snapshotHoldMs: 30_000,
};

/**
 * Reads EXPORT_CURSOR_KEY (at least 32 bytes, as hex or base64; if unset a random key is made, and
 * cursors do not survive a restart or work across replicas), EXPORT_MAX_STREAMS,
 * EXPORT_MAX_DURATION_MS, EXPORT_IDLE_WRITE_TIMEOUT_MS, EXPORT_CONSISTENCY_WAIT_MS,
 * EXPORT_MAX_PARALLEL_PARTS and EXPORT_SNAPSHOT_HOLD_MS.
 */
export function loadExportSettings(env: Env = process.env): ExportSettings {
  const key = env.EXPORT_CURSOR_KEY ? parseKey(env.EXPORT_CURSOR_KEY) : undefined;
  const d = defaultExportSettings;
  return {
    cursorKey: key ?? randomBytes(32),
    cursorKeyGenerated: key === undefined,
    maxStreams: positive(env, "EXPORT_MAX_STREAMS", d.maxStreams),
    maxDurationMs: positive(env, "EXPORT_MAX_DURATION_MS", d.maxDurationMs),
    idleWriteTimeoutMs: positive(env, "EXPORT_IDLE_WRITE_TIMEOUT_MS", d.idleWriteTimeoutMs),
    consistencyWaitMs: positive(env, "EXPORT_CONSISTENCY_WAIT_MS", d.consistencyWaitMs),
    maxParallelParts: positive(env, "EXPORT_MAX_PARALLEL_PARTS", d.maxParallelParts),
    snapshotHoldMs: positive(env, "EXPORT_SNAPSHOT_HOLD_MS", d.snapshotHoldMs),
  };
}

/**
 * Session timeouts of export connections, derived from the export limits: an export may run for
 * EXPORT_MAX_DURATION_MS, so its statements get that plus a margin (far above the read pool's
 * DB_STATEMENT_TIMEOUT_MS) and EXPORT_MAX_DURATION_MS ends a long export first, with RESOURCE_EXHAUSTED.
 */
export function exportSessionTimeouts(
  settings: Pick<ExportSettings, "maxDurationMs" | "idleWriteTimeoutMs" | "snapshotHoldMs">,
): {
  statementTimeoutMs: number;
  idleInTransactionTimeoutMs: number;
} {
  return {
    statementTimeoutMs: settings.maxDurationMs + 10_000,
    idleInTransactionTimeoutMs: Math.max(settings.idleWriteTimeoutMs, settings.snapshotHoldMs) + 10_000,
  };
}

/** How errors name the export connections' timeouts (no lock timeout: exports only read). */
export function exportDatabaseLimitLabels(settings: ExportSettings): DatabaseLimitLabels {
  const timeouts = exportSessionTimeouts(settings);
  return {
    statementTimeout: `export statement_timeout (EXPORT_MAX_DURATION_MS + 10000)=${timeouts.statementTimeoutMs}`,
    lockTimeout: "export lock_timeout (not set)",
    idleInTransactionTimeout:
      "export idle_in_transaction_session_timeout (max(EXPORT_IDLE_WRITE_TIMEOUT_MS, EXPORT_SNAPSHOT_HOLD_MS) + 10000)" +
      `=${timeouts.idleInTransactionTimeoutMs}`,
  };
}

function parseKey(raw: string): Buffer {
  const key = /^[0-9a-fA-F]+$/.test(raw) ? Buffer.from(raw, "hex") : Buffer.from(raw, "base64");
  if (key.length < 32) throw new Error("EXPORT_CURSOR_KEY must hold at least 32 bytes (hex or base64)");
  return key;
}

function positive(env: Env, name: string, fallback: number): number {
  const value = integer(env, name, fallback);
  if (value === 0) throw new Error(`${name} must be positive`);
  return value;
}
