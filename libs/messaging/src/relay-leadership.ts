import type { ClientBase } from "pg";

// One advisory lock key for every relay of a write database: its holder is the only one that publishes.
const relayLockSql = "SELECT pg_try_advisory_lock(hashtext('conveyor.outbox-relay')) AS acquired";

/**
 * Waits until this session holds the relay lock (true) or `isRunning` turns false (false), trying again
 * after each `pause`. The lock is a session lock: it goes with the holder's connection, so a crashed or
 * cut-off relay hands over to a standby at its next try.
 */
export async function acquireRelayLock(
  db: ClientBase,
  pause: () => Promise<void>,
  isRunning: () => boolean,
): Promise<boolean> {
  while (isRunning()) {
    const { rows } = await db.query<{ acquired: boolean }>(relayLockSql);
    if (rows[0]?.acquired) return true;
    await pause();
  }
  return false;
}
