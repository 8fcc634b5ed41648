import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { groupMessagesPerPartition } from "./kafkajs-grouping.ts";

const require = createRequire(import.meta.url);
const path = require.resolve("kafkajs/src/producer/groupMessagesPerPartition.js");

/** kafkajs' own grouping, loaded afresh (the module cache may hold the replacement). */
function kafkajsGrouping(): typeof groupMessagesPerPartition {
  const cached = require.cache[path];
  delete require.cache[path];
  try {
    return require(path) as typeof groupMessagesPerPartition;
  } finally {
    if (cached) require.cache[path] = cached;
  }
}

describe("groupMessagesPerPartition", () => {
  it("groups as kafkajs does: partition to messages in send order", () => {
    const original = kafkajsGrouping();
    expect(original).not.toBe(groupMessagesPerPartition);
    const messages = Array.from({ length: 500 }, (_, i) => ({
      key: `k${(i * 7919) % 23}`,
      value: String(i),
    }));
    const partitioner = ({ message }: { message: { key: string } }) => Number(message.key.slice(1)) % 5;
    for (const partitionMetadata of [[], [{}], [{}, {}, {}, {}, {}]])
      for (const some of [messages, messages.slice(0, 1), []]) {
        const args = { topic: "t", partitionMetadata, messages: some, partitioner };
        expect(groupMessagesPerPartition(args)).toStrictEqual(original(args));
      }
  });
});
