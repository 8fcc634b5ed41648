/** The end offset (next offset to be written) of one topic partition. */
export interface PartitionOffset {
  topic: string;
  partition: number;
  offset: bigint;
}

/**
 * A relay watermark: every write transaction below `horizon` has ended and its events are in Kafka
 * below `offsets`. Published as JSON on the watermark topic (see consistency-token.ts).
 */
export interface Watermark {
  horizon: bigint;
  offsets: PartitionOffset[];
}

export function encodeWatermark({ horizon, offsets }: Watermark): Buffer {
  return Buffer.from(
    JSON.stringify({
      horizon: horizon.toString(),
      offsets: offsets.map(({ topic, partition, offset }) => ({
        topic,
        partition,
        offset: offset.toString(),
      })),
    }),
  );
}

export function decodeWatermark(bytes: Buffer): Watermark {
  const raw = JSON.parse(bytes.toString("utf8")) as {
    horizon: string;
    offsets: { topic: string; partition: number; offset: string }[];
  };
  if (typeof raw.horizon !== "string" || !Array.isArray(raw.offsets))
    throw new Error("not a watermark message");
  return {
    horizon: BigInt(raw.horizon),
    offsets: raw.offsets.map(({ topic, partition, offset }) => ({
      topic,
      partition,
      offset: BigInt(offset),
    })),
  };
}
