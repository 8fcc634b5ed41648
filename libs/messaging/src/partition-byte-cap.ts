import type { Message } from "kafkajs";

/** One outbox row's Kafka message and the topic it goes to. */
export interface RelayMessage {
  topic: string;
  message: Message;
}

/** How many leading messages of a round to send, and the first of them if it alone is over the cap. */
export interface RoundCut {
  count: number;
  /** Set when the round is a single message larger than the cap (sent alone: it can't be split). */
  oversized?: { bytes: number };
}

/** A record batch's own header (magic v2: base offset to record count) in bytes. */
export const recordBatchOverhead = 61;
// A v2 record's fixed part at its largest: length, attributes, timestamp and offset deltas, key and
// value lengths and the header count (varints of up to 5 bytes, a varlong of up to 10).
const recordOverhead = 5 + 1 + 10 + 5 + 5 + 5 + 5;
const headerOverhead = 5 + 5; // the lengths of a header's key and value

/** An upper bound of a message's bytes in an uncompressed v2 record batch. */
export function recordBytesBound(message: Message): number {
  let bytes = recordOverhead + byteLength(message.key) + byteLength(message.value);
  const headers = message.headers;
  for (const key in headers) {
    const value = headers[key];
    if (!Array.isArray(value)) bytes += headerOverhead + headerKeyBytes(key) + byteLength(value);
    else for (const one of value) bytes += headerOverhead + Buffer.byteLength(key) + byteLength(one);
  }
  return bytes;
}

const headerKeySizes = new Map<string, number>();
function headerKeyBytes(key: string): number {
  let size = headerKeySizes.get(key);
  if (size === undefined) {
    size = Buffer.byteLength(key);
    if (headerKeySizes.size < 1000) headerKeySizes.set(key, size);
  }
  return size;
}

function byteLength(bytes: Buffer | string | null | undefined): number {
  if (bytes === null || bytes === undefined) return 0;
  return typeof bytes === "string" ? Buffer.byteLength(bytes) : bytes.length;
}

/**
 * The longest prefix of a round's messages (in outbox order) whose record batch for each partition
 * stays within `maxBatchBytes`. A prefix, not a selection: the rows after the cut stay in the outbox
 * and lead the next round, so each key's events keep their order and the round reads as one that hit
 * its row limit there (see scan-floor.ts). A first message over the cap on its own is sent alone.
 */
export function cutAtPartitionBytes(
  messages: RelayMessage[],
  maxBatchBytes: number,
  partitionOf: (topic: string, message: Message) => number,
): RoundCut {
  // Per topic, the bytes of each partition's batch so far.
  const batchBytes = new Map<string, number[]>();
  for (let i = 0; i < messages.length; i++) {
    const { topic, message } = messages[i]!;
    const bytes = recordBytesBound(message);
    let partitions = batchBytes.get(topic);
    if (partitions === undefined) batchBytes.set(topic, (partitions = []));
    const partition = partitionOf(topic, message);
    const total = (partitions[partition] ?? recordBatchOverhead) + bytes;
    if (total > maxBatchBytes)
      return i > 0 ? { count: i } : { count: 1, oversized: { bytes: recordBatchOverhead + bytes } };
    partitions[partition] = total;
  }
  return { count: messages.length };
}
