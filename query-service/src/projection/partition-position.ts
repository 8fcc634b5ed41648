import type { ClientBase } from "pg";

/**
 * Locks the partition's position row (creating it if new) and returns the next offset to apply, or null
 * when nothing of the partition was applied yet. The lock serializes two consumers briefly holding the
 * same partition during a rebalance; the position makes a redelivered message a no-op.
 */
export async function claimPosition(
  db: ClientBase,
  topic: string,
  partition: number,
): Promise<bigint | null> {
  const { rows } = await db.query<{ next_offset: string | null }>(
    `INSERT INTO projection_offsets (topic, partition) VALUES ($1, $2)
     ON CONFLICT (topic, partition) DO UPDATE SET topic = excluded.topic
     RETURNING next_offset::text`,
    [topic, partition],
  );
  const next = rows[0]!.next_offset;
  return next === null ? null : BigInt(next);
}

export async function savePosition(
  db: ClientBase,
  topic: string,
  partition: number,
  next: bigint,
): Promise<void> {
  await db.query(
    "UPDATE projection_offsets SET next_offset = $3, updated_at = now() WHERE topic = $1 AND partition = $2",
    [topic, partition, next.toString()],
  );
}
