import { createRequire } from "node:module";
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { crc32c } from "./crc32c.ts";

const require = createRequire(import.meta.url);
const kafkajsCrc32c = require("kafkajs/src/protocol/recordBatch/crc32C/crc32C.js") as (
  bytes: Buffer,
) => number;

describe("crc32c", () => {
  it("matches the CRC-32C check value and kafkajs' own for every length", () => {
    expect(crc32c(Buffer.from("123456789"))).toBe(0xe3069283);
    for (let length = 0; length < 300; length++) {
      const bytes = randomBytes(length);
      expect(crc32c(bytes), `${length} bytes`).toBe(kafkajsCrc32c(bytes));
    }
    const big = randomBytes(1 << 20);
    expect(crc32c(big)).toBe(kafkajsCrc32c(big));
  });
});
