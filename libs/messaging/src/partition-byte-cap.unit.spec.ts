import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import type { Message } from "kafkajs";
import {
  cutAtPartitionBytes,
  recordBatchOverhead,
  recordBytesBound,
  type RelayMessage,
} from "./partition-byte-cap.ts";
import { partitionOfKey } from "./partition-counts.ts";
import { KeyHashPartitioner } from "./key-partitioner.ts";

const require = createRequire(import.meta.url);
const { RecordBatch } = require("kafkajs/src/protocol/recordBatch/v0/index.js") as {
  RecordBatch: (batch: { records: unknown[] }) => Promise<{ buffer: Buffer }>;
};
const record = require("kafkajs/src/protocol/recordBatch/record/v0/index.js") as (r: object) => unknown;

function message(key: string, valueBytes: number): Message {
  return {
    key,
    value: Buffer.alloc(valueBytes, 1),
    headers: { ce_id: "0f4c5e8a-1b2c-4d3e-9f00-123456789abc", "content-type": "application/protobuf" },
  };
}

const onTopic = (topic: string, ...messages: Message[]): RelayMessage[] =>
  messages.map((m) => ({ topic, message: m }));
const onePartition = () => 0;
const byKey = (_topic: string, { key }: Message) => Number(String(key).slice(1));

describe("recordBytesBound", () => {
  it("is at least what kafkajs encodes for the message in a record batch", async () => {
    const messages = [message("k", 0), message("a-longer-key-é", 300), message("x", 70_000)];
    const records = messages.map((m, i) => record({ ...m, offsetDelta: i, timestampDelta: 1_000_000 }));
    const { buffer } = await RecordBatch({ records });
    const bound = recordBatchOverhead + messages.reduce((sum, m) => sum + recordBytesBound(m), 0);
    expect(bound).toBeGreaterThanOrEqual(buffer.length);
    expect(bound).toBeLessThan(buffer.length + 50 * messages.length);
  });
});

describe("cutAtPartitionBytes", () => {
  const size = recordBytesBound(message("k0", 1000));

  it("sends the whole round when every partition's batch fits", () => {
    const round = onTopic("t", ...Array.from({ length: 10 }, () => message("k0", 1000)));
    expect(cutAtPartitionBytes(round, recordBatchOverhead + 10 * size, onePartition)).toEqual({ count: 10 });
  });

  it("cuts before the first message that would take its partition over the cap", () => {
    const round = onTopic("t", ...Array.from({ length: 10 }, () => message("k0", 1000)));
    expect(cutAtPartitionBytes(round, recordBatchOverhead + 4 * size, onePartition)).toEqual({ count: 4 });
    expect(cutAtPartitionBytes(round, recordBatchOverhead + 4 * size + 1, onePartition)).toEqual({
      count: 4,
    });
  });

  it("counts each topic's partitions apart, and cuts the round as a prefix", () => {
    const cap = recordBatchOverhead + 2 * size;
    const spread = onTopic("t", message("k0", 1000), message("k1", 1000), message("k0", 1000));
    expect(cutAtPartitionBytes(spread, cap, byKey)).toEqual({ count: 3 });
    expect(cutAtPartitionBytes(spread, cap, onePartition)).toEqual({ count: 2 });
    const twoTopics = [...onTopic("a", message("k0", 1000)), ...onTopic("b", message("k0", 1000))];
    expect(cutAtPartitionBytes([...twoTopics, ...twoTopics], cap, onePartition)).toEqual({ count: 4 });
    // k1's partition has room, but the third k0 ends the prefix: nothing after it goes before it.
    const blocked = onTopic("t", ...[0, 0, 0, 1].map((k) => message(`k${k}`, 1000)));
    expect(cutAtPartitionBytes(blocked, cap, byKey)).toEqual({ count: 2 });
  });

  it("sends a first message over the cap alone, reporting its size, and cuts before a later one", () => {
    const big = message("k0", 5000);
    const cap = recordBatchOverhead + 2 * size;
    const bigSize = recordBatchOverhead + recordBytesBound(big);
    expect(cutAtPartitionBytes(onTopic("t", big, message("k1", 1)), cap, byKey)).toEqual({
      count: 1,
      oversized: { bytes: bigSize },
    });
    expect(cutAtPartitionBytes(onTopic("t", message("k1", 1), big), cap, byKey)).toEqual({ count: 1 });
    expect(cutAtPartitionBytes([], cap, byKey)).toEqual({ count: 0 });
  });
});

describe("partitionOfKey", () => {
  it("places string keys as KeyHashPartitioner does, and all of a topic of unknown count on one", () => {
    const of = partitionOfKey(new Map([["three", 3]]));
    const keys = Array.from({ length: 50 }, (_, i) => `key-${i}`);
    const placed = keys.map((key) => of("three", { key, value: null }));
    const fast = KeyHashPartitioner();
    const partitionMetadata = [0, 1, 2].map((partitionId) => ({
      partitionId,
      leader: 1,
      partitionErrorCode: 0,
      replicas: [1],
      isr: [1],
    }));
    const kafkajsPlaced = keys.map((key) =>
      fast({ topic: "three", partitionMetadata, message: { key, value: null } }),
    );
    expect(placed).toEqual(kafkajsPlaced);
    expect(new Set(placed)).toEqual(new Set([0, 1, 2]));
    expect(new Set(keys.map((key) => of("unknown", { key, value: null })))).toEqual(new Set([0]));
  });
});
