import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { speedUpKafkajsEncoder } from "./kafkajs-encoder.ts";

const require = createRequire(import.meta.url);
type Encoded = { buffer: Buffer };
const produceRequest = require("kafkajs/src/protocol/requests/produce/v3/request.js") as (
  options: object,
) => { encode(): Promise<Encoded> };
const Encoder = require("kafkajs/src/protocol/encoder.js") as new () => Encoded & {
  writeVarLong(value: unknown): Encoded;
  writeVarInt(value: number): Encoded;
};

function messages(count: number) {
  return Array.from({ length: count }, (_, i) => ({
    key: `key-${i}`,
    value: Buffer.alloc(i % 9, i),
    timestamp: 1_700_000_000_000 + (i % 5) * 1_000_003,
    headers: {
      ce_id: `id-${i}`,
      "content-type": "application/protobuf",
      empty: "",
      ключ: "😀".repeat(i % 3),
    },
  }));
}

async function encodeAll(): Promise<Buffer[]> {
  const requests = [1, 3, 60].map((count) =>
    produceRequest({
      acks: -1,
      timeout: 30_000,
      topicData: [
        { topic: "t", partitions: [{ partition: 0, firstSequence: 0, messages: messages(count) }] },
      ],
    }),
  );
  const encoded = await Promise.all(requests.map((request) => request.encode()));
  const varlongs = [0, 1, -1, 63, -64, 2 ** 29, -(2 ** 30), 2 ** 31, 2 ** 40, -(2 ** 45)].map(
    (value) => new Encoder().writeVarLong(value).buffer,
  );
  const varints = [0, 1, -1, 300, -300, 2 ** 30, -(2 ** 31)].map(
    (value) => new Encoder().writeVarInt(value).buffer,
  );
  return [...encoded.map((e) => e.buffer), ...varlongs, ...varints];
}

describe("speedUpKafkajsEncoder", () => {
  it("leaves kafkajs' produce requests byte for byte as they were", async () => {
    const before = await encodeAll();
    speedUpKafkajsEncoder();
    speedUpKafkajsEncoder();
    const after = await encodeAll();
    expect(after).toEqual(before);
  }, 60_000);
});
