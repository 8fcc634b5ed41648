// Before kafkajs loads: it replaces a kafkajs module that kafkajs captures on loading.
import "./kafkajs-grouping.ts";
import { Partitioners, type ICustomPartitioner, type Message } from "kafkajs";

/**
 * kafkajs' DefaultPartitioner (Java's murmur2 of the key, so keys land where the Java client puts
 * them), computed in 32-bit integer arithmetic instead of kafkajs' emulated 64-bit longs, without the
 * per-message allocations. Messages without a string key (or with a partition set) are left to the
 * DefaultPartitioner itself, which answers them the same way.
 */
export const KeyHashPartitioner: ICustomPartitioner = () => {
  const fallback = Partitioners.DefaultPartitioner();
  return (args) => {
    const { key, partition } = args.message;
    if (typeof key !== "string" || partition !== undefined) return fallback(args);
    return (keyHash(args.message) & 0x7fffffff) % args.partitionMetadata.length;
  };
};

/** Where a message's murmur2 key hash is kept once computed: the relay needs it before kafkajs does. */
export const keyHashOf = Symbol("conveyor.keyHash");

/** A message with its key hash kept (it must be the hash of its key). */
export type HashedMessage = Message & { [keyHashOf]?: number };

/** The murmur2 hash of a message's string key: the one kept on the message, else computed. */
export function keyHash(message: HashedMessage): number {
  return message[keyHashOf] ?? murmur2(message.key as string);
}

const seed = 0x9747b28c;
const m = 0x5bd1e995;
// Keys are aggregate ids: one reused buffer holds their bytes (the hash runs synchronously).
const scratch = Buffer.allocUnsafe(256);

/** Kafka's murmur2 (org.apache.kafka.common.utils.Utils.murmur2) of a string's UTF-8 bytes. */
export function murmur2(key: string): number {
  const length = Buffer.byteLength(key);
  const data = length <= scratch.length ? scratch : Buffer.allocUnsafe(length);
  data.write(key, 0, length, "utf8");
  let h = seed ^ length;
  const length4 = length >>> 2;
  for (let i = 0; i < length4; i++) {
    const i4 = i * 4;
    let k = data[i4]! | (data[i4 + 1]! << 8) | (data[i4 + 2]! << 16) | (data[i4 + 3]! << 24);
    k = Math.imul(k, m);
    k ^= k >>> 24;
    k = Math.imul(k, m);
    h = Math.imul(h, m) ^ k;
  }
  const tail = length & ~3;
  const rest = length & 3;
  if (rest === 3) h ^= data[tail + 2]! << 16;
  if (rest >= 2) h ^= data[tail + 1]! << 8;
  if (rest >= 1) h = Math.imul(h ^ data[tail]!, m);
  h ^= h >>> 13;
  h = Math.imul(h, m);
  h ^= h >>> 15;
  return h;
}
