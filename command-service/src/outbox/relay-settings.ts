import { integer } from "@conveyor/runtime";

/** The outbox relay's tunables that come from the environment (absent: the relay's defaults). */
export interface RelaySettings {
  /** RELAY_BATCH_SIZE: outbox rows read and sent per round (default 2,000). */
  batchSize?: number;
  /**
   * RELAY_MAX_BATCH_BYTES: the most bytes a round sends to one partition (default 512 KiB). Keep it
   * under the broker's message.max.bytes and the topics' max.message.bytes (1 MiB by default).
   */
  maxBatchBytes?: number;
}

type Env = Record<string, string | undefined>;

/** Only the settings given: an absent one is left out, not set to undefined. */
export function loadRelaySettings(env: Env = process.env): RelaySettings {
  const settings: RelaySettings = {};
  const batchSize = positive(env, "RELAY_BATCH_SIZE");
  if (batchSize !== undefined) settings.batchSize = batchSize;
  const maxBatchBytes = positive(env, "RELAY_MAX_BATCH_BYTES");
  if (maxBatchBytes !== undefined) settings.maxBatchBytes = maxBatchBytes;
  return settings;
}

/** A setting that must be at least 1 when given: 0 would make the relay send nothing, or every event alone. */
function positive(env: Env, name: string): number | undefined {
  const value = integer(env, name, -1);
  if (value === -1) return undefined;
  if (value === 0) throw new Error(`${name} must be at least 1, got "${env[name]}"`);
  return value;
}
