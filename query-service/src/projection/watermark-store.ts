import type { ClientBase } from "pg";
import type { KafkaMessage } from "kafkajs";
import { decodeWatermark, type Watermark } from "@conveyor/messaging";
import type { DeadLetter } from "./dead-letters.ts";

/** Records relay watermarks (see consistency.ts) and drops those a later reached one makes redundant. */
export async function applyWatermarks(db: ClientBase, messages: KafkaMessage[]): Promise<DeadLetter[]> {
  const rejected: DeadLetter[] = [];
  const watermarks: Watermark[] = [];
  for (const message of messages) {
    try {
      watermarks.push(decodeWatermark(message.value ?? Buffer.alloc(0)));
    } catch (error) {
      rejected.push({ message, reason: `not a relay watermark: ${String(error)}` });
    }
  }
  for (const { horizon, offsets } of watermarks) {
    await db.query(
      `INSERT INTO projection_watermarks (horizon, topics, partitions, end_offsets) VALUES ($1, $2, $3, $4)
       ON CONFLICT (horizon) DO NOTHING`,
      [
        horizon.toString(),
        offsets.map((o) => o.topic),
        offsets.map((o) => o.partition),
        offsets.map((o) => o.offset.toString()),
      ],
    );
  }
  await pruneWatermarks(db);
  return rejected;
}

/** Rows of projection_watermarks whose end offsets every partition has reached. */
export const reachedWatermarksSql = `
  SELECT w.horizon FROM projection_watermarks w
  WHERE NOT EXISTS (
    SELECT 1 FROM unnest(w.topics, w.partitions, w.end_offsets) AS e(topic, partition, end_offset)
    LEFT JOIN projection_offsets p ON p.topic = e.topic AND p.partition = e.partition
    WHERE coalesce(p.next_offset, 0) < e.end_offset)`;

// A token below the newest reached watermark is answered by that one, so older rows can go.
async function pruneWatermarks(db: ClientBase): Promise<void> {
  await db.query(
    `DELETE FROM projection_watermarks WHERE horizon < (SELECT max(horizon) FROM (${reachedWatermarksSql}) AS reached)`,
  );
}
