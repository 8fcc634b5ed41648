import { createRequire } from "node:module";
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { Partitioners, type PartitionerArgs } from "kafkajs";
import { KeyHashPartitioner, murmur2 } from "./key-partitioner.ts";

// kafkajs' own murmur2 (64-bit long emulation), the reference the fast one must match bit for bit.
const kafkajsMurmur2 = createRequire(import.meta.url)(
  "kafkajs/src/producer/partitioners/default/murmur2.js",
) as (key: string) => number;

const keys = [
  "",
  "a",
  "ab",
  "abc",
  "abcd",
  "abcde",
  "Köln 😀 ключ",
  "x".repeat(300),
  ...Array.from({ length: 500 }, () => randomUUID()),
];

describe("KeyHashPartitioner", () => {
  it("hashes keys as kafkajs' (and Java's) murmur2 does", () => {
    for (const key of keys) expect(murmur2(key), key).toBe(kafkajsMurmur2(key));
  });

  it("puts every message on the partition the DefaultPartitioner picks", () => {
    const fast = KeyHashPartitioner();
    const reference = Partitioners.DefaultPartitioner();
    for (const partitions of [1, 3, 7]) {
      const partitionMetadata = Array.from({ length: partitions }, (_, partitionId) => ({
        partitionId,
        leader: 1,
        partitionErrorCode: 0,
        replicas: [1],
        isr: [1],
      }));
      for (const key of keys) {
        const args: PartitionerArgs = { topic: "t", partitionMetadata, message: { key, value: "v" } };
        expect(fast(args), key).toBe(reference(args));
      }
      const explicit: PartitionerArgs = {
        topic: "t",
        partitionMetadata,
        message: { key: "k", value: "v", partition: 0 },
      };
      expect(fast(explicit)).toBe(0);
    }
  });
});
