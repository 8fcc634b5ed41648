import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { fastRecordDecoder, fastRecordEncoder, type RecordInput } from "./kafkajs-records.ts";

const require = createRequire(import.meta.url);
type EncoderInstance = { buf: Buffer; offset: number; buffer: Buffer };
const Encoder = require("kafkajs/src/protocol/encoder.js") as {
  new (): EncoderInstance;
  prototype: EncoderInstance;
};
const Decoder = require("kafkajs/src/protocol/decoder.js") as new (buffer: Buffer) => {
  offset: number;
} & Parameters<ReturnType<typeof fastRecordDecoder>>[0];
const kafkajsEncode = require("kafkajs/src/protocol/recordBatch/record/v0/index.js") as (
  record: RecordInput,
) => EncoderInstance;
const kafkajsDecode = require("kafkajs/src/protocol/recordBatch/record/v0/decoder.js") as Parameters<
  typeof fastRecordDecoder
>[1];
const encode = fastRecordEncoder(Encoder, kafkajsEncode) as (record: RecordInput) => EncoderInstance;
const decode = fastRecordDecoder(Decoder, kafkajsDecode);

const records: RecordInput[] = [
  {},
  { key: null, value: null, headers: {} },
  { key: "aggregate-1", value: Buffer.from([1, 2, 3]), offsetDelta: 5, timestampDelta: 0 },
  {
    key: Buffer.from("k"),
    value: "ünïcode 😀".repeat(40),
    offsetDelta: 300,
    timestampDelta: -70_000,
    headers: {
      ce_specversion: "1.0",
      ce_id: Buffer.from("id"),
      empty: "",
      ключ: "😀",
      repeated: ["a", Buffer.from("b"), "c"],
    },
  },
  { key: "big delta", value: "v", offsetDelta: 1, timestampDelta: 2 ** 40 }, // kafkajs' own path
  { key: "long", value: "x".repeat(70_000), offsetDelta: 2 ** 20, timestampDelta: 2 ** 30 },
];
const contexts = [
  { firstOffset: "0", firstTimestamp: "1700000000000", magicByte: 2, timestampType: 0, maxTimestamp: "1" },
  { firstOffset: "123456789012", firstTimestamp: "-1", magicByte: 2, timestampType: 0, maxTimestamp: "-1" },
  { firstOffset: "7", firstTimestamp: "5", magicByte: 2, timestampType: 1, maxTimestamp: "99" },
  {
    firstOffset: "9223372036854775000",
    firstTimestamp: "0",
    magicByte: 2,
    timestampType: 0,
    maxTimestamp: "0",
  },
];

describe("the kafkajs record codec replacement", () => {
  it("encodes every record byte for byte as kafkajs does", () => {
    for (const record of records) expect(encode(record).buffer).toEqual(kafkajsEncode(record).buffer);
  });

  it("encodes a header named __proto__ as kafkajs does and decodes it as an own property", () => {
    const record = { key: "k", value: "v", headers: { ["__proto__"]: "odd key" } };
    const bytes = encode(record).buffer;
    expect(bytes).toEqual(kafkajsEncode(record).buffer);
    const decoded = decode(new Decoder(new Decoder(bytes).readVarIntBytes()!), contexts[0]);
    // (kafkajs' own decoder reads the inherited Object.prototype there and returns [{}, value].)
    expect(Object.getOwnPropertyDescriptor(decoded.headers, "__proto__")?.value).toEqual(
      Buffer.from("odd key"),
    );
  });

  it("falls back to kafkajs for what it does not handle, errors included", () => {
    const odd = [{ headers: { missing: undefined } }, { headers: { nil: null } }] as unknown as RecordInput[];
    for (const record of odd) expect(() => encode(record)).toThrow();
    for (const record of odd) expect(() => kafkajsEncode(record)).toThrow();
  });

  it("decodes every record as kafkajs does, leaving the decoder at the same place", () => {
    for (const record of records)
      for (const context of contexts) {
        const body = new Decoder(kafkajsEncode(record).buffer).readVarIntBytes()!;
        const bytes = Buffer.concat([body, Buffer.from("after")]);
        const [fast, slow] = [new Decoder(bytes), new Decoder(bytes)];
        expect(decode(fast, context)).toStrictEqual(kafkajsDecode(slow, context));
        expect(fast.offset).toBe(slow.offset);
        expect(fast.offset).toBe(body.length);
      }
  });
});
