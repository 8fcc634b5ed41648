import { createRequire } from "node:module";
import { crc32c } from "./crc32c.ts";

const require = createRequire(import.meta.url);
const recordEncoderPath = require.resolve("kafkajs/src/protocol/recordBatch/record/v0/index.js");
const recordDecoderPath = require.resolve("kafkajs/src/protocol/recordBatch/record/v0/decoder.js");
const crc32cPath = require.resolve("kafkajs/src/protocol/recordBatch/crc32C/index.js");
// Modules that capture the record codecs when they load: replacing the codecs only helps before that.
const dependentPaths = [
  require.resolve("kafkajs/src/protocol/requests/produce/v3/request.js"),
  require.resolve("kafkajs/src/protocol/recordBatch/v0/decoder.js"),
  require.resolve("kafkajs/src/protocol/recordBatch/v0/index.js"),
];

interface EncoderInstance {
  buf: Buffer;
  offset: number;
}

interface EncoderClass {
  prototype: EncoderInstance;
}

type HeaderValue = Buffer | string;

export interface RecordInput {
  offsetDelta?: number;
  timestampDelta?: unknown;
  key?: HeaderValue | null;
  value?: HeaderValue | null;
  headers?: Record<string, HeaderValue | HeaderValue[] | undefined>;
}

interface DecoderInstance {
  buffer: Buffer;
  offset: number;
  readInt8(): number;
  readVarInt(): number;
  readVarLong(): { toString(): string };
  readVarIntBytes(): Buffer | null;
  readVarIntString(): string | null;
}

type DecoderClass = new (buffer: Buffer) => DecoderInstance;

interface BatchContext {
  firstOffset: string;
  firstTimestamp: string;
  magicByte: number;
  isControlBatch?: boolean;
  timestampType: number;
  maxTimestamp: string;
}

export interface DecodedRecord {
  magicByte: number;
  attributes: number;
  timestamp: string;
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, Buffer | Buffer[]>;
  isControlRecord: boolean;
  batchContext: BatchContext;
}

type RecordEncoder = (record: RecordInput) => EncoderInstance;
type RecordDecoder = (decoder: DecoderInstance, context?: BatchContext) => DecodedRecord;

const logAppendTime = 1; // kafkajs' TimestampTypes.LOG_APPEND_TIME
let installed = false;

/**
 * Replaces kafkajs 2.2.x's record codec (one Kafka record of a record batch) with one that writes and
 * reads the same bytes and objects without its per-header allocations: its encoder builds an Encoder per
 * header and copies each into the record; its decoder builds the header object with a spread per
 * header (8 CloudEvents headers per event, so 8 copies of a growing object); this one reads the
 * headers when first asked for. Also swaps in a faster CRC-32C for the record batches' checksum. Must run before kafkajs
 * first produces or fetches (it loads the request modules that capture the codec lazily); `createKafka`
 * calls it. Returns whether the codec is in place. The replacements fall back to kafkajs' own code for
 * anything outside the shapes they handle (see the spec).
 */
export function speedUpKafkajsRecords(): boolean {
  if (installed) return true;
  if (dependentPaths.some((path) => require.cache[path] !== undefined)) return false;
  const originalEncode = require(recordEncoderPath) as RecordEncoder;
  const originalDecode = require(recordDecoderPath) as RecordDecoder;
  const Encoder = require("kafkajs/src/protocol/encoder.js") as EncoderClass;
  require.cache[recordEncoderPath]!.exports = fastRecordEncoder(Encoder, originalEncode);
  const Decoder = require("kafkajs/src/protocol/decoder.js") as DecoderClass;
  require.cache[recordDecoderPath]!.exports = fastRecordDecoder(Decoder, originalDecode);
  require(crc32cPath);
  require.cache[crc32cPath]!.exports = crc32c;
  installed = true;
  return true;
}

/** The record encoder (exported for the spec, which compares it with kafkajs' own). */
export function fastRecordEncoder(Encoder: EncoderClass, original: RecordEncoder): RecordEncoder {
  return (record) => {
    const { offsetDelta = 0, timestampDelta = 0, key, value, headers = {} } = record;
    if (!isInt32(offsetDelta) || !isInt32(timestampDelta)) return original(record);
    const pairs = headerPairs(headers);
    if (!pairs || !isBytes(key) || !isBytes(value)) return original(record);
    let bodySize = 1 + zigzagSize(timestampDelta) + zigzagSize(offsetDelta);
    bodySize += bytesSize(key) + bytesSize(value) + zigzagSize(pairs.length / 2);
    for (const part of pairs) bodySize += bytesSize(part);
    const buf = Buffer.allocUnsafe(zigzagSize(bodySize) + bodySize);
    let at = writeZigzag(buf, 0, bodySize);
    buf[at++] = 0; // attributes: none
    at = writeZigzag(buf, at, timestampDelta);
    at = writeZigzag(buf, at, offsetDelta);
    at = writeBytes(buf, at, key);
    at = writeBytes(buf, at, value);
    at = writeZigzag(buf, at, pairs.length / 2);
    for (const part of pairs) at = writeBytes(buf, at, part);
    const encoder = Object.create(Encoder.prototype) as EncoderInstance;
    encoder.buf = buf;
    encoder.offset = at;
    return encoder;
  };
}

/** Header keys and values, alternating; undefined for a shape kafkajs' own encoder should see. */
function headerPairs(headers: NonNullable<RecordInput["headers"]>): HeaderValue[] | undefined {
  const pairs: HeaderValue[] = [];
  for (const key of Object.keys(headers)) {
    const value = headers[key];
    if (!Array.isArray(value)) {
      if (!isHeaderValue(value)) return undefined;
      pairs.push(key, value);
      continue;
    }
    for (const one of value) {
      if (!isHeaderValue(one)) return undefined;
      pairs.push(key, one);
    }
  }
  return pairs;
}

function isHeaderValue(value: unknown): value is HeaderValue {
  return typeof value === "string" || Buffer.isBuffer(value);
}

/** A string, Buffer or null (written as length -1): what kafkajs writes as varint-prefixed bytes. */
function isBytes(value: unknown): value is HeaderValue | null {
  return value === null || value === undefined || typeof value === "string" || Buffer.isBuffer(value);
}

function bytesSize(bytes: HeaderValue | null | undefined): number {
  if (bytes === null || bytes === undefined) return 1;
  const length = typeof bytes === "string" ? Buffer.byteLength(bytes) : bytes.length;
  return zigzagSize(length) + length;
}

function writeBytes(buf: Buffer, at: number, bytes: HeaderValue | null | undefined): number {
  if (bytes === null || bytes === undefined) return writeZigzag(buf, at, -1);
  if (typeof bytes !== "string") {
    at = writeZigzag(buf, at, bytes.length);
    return at + bytes.copy(buf, at);
  }
  const length = Buffer.byteLength(bytes);
  at = writeZigzag(buf, at, length);
  return at + buf.write(bytes, at, length, "utf8");
}

function isInt32(value: unknown): value is number {
  return typeof value === "number" && (value | 0) === value;
}

function zigzagSize(value: number): number {
  let encoded = ((value << 1) ^ (value >> 31)) >>> 0;
  let size = 1;
  while (encoded > 0x7f) {
    encoded >>>= 7;
    size++;
  }
  return size;
}

function writeZigzag(buf: Buffer, at: number, value: number): number {
  let encoded = ((value << 1) ^ (value >> 31)) >>> 0;
  while (encoded > 0x7f) {
    buf[at++] = (encoded & 0x7f) | 0x80;
    encoded >>>= 7;
  }
  buf[at++] = encoded;
  return at;
}

/** The record decoder (exported for the spec, which compares it with kafkajs' own). */
export function fastRecordDecoder(Decoder: DecoderClass, original: RecordDecoder): RecordDecoder {
  return (decoder, context = {} as BatchContext) => {
    const start = decoder.offset;
    const firstOffset = Number(context.firstOffset);
    const firstTimestamp = Number(context.firstTimestamp);
    if (!Number.isSafeInteger(firstOffset) || !Number.isSafeInteger(firstTimestamp))
      return original(decoder, context);
    const attributes = decoder.readInt8();
    const timestampDelta = readSmallVarLong(decoder);
    if (timestampDelta === undefined) {
      decoder.offset = start;
      return original(decoder, context);
    }
    const offsetDelta = decoder.readVarInt();
    const timestamp =
      context.timestampType === logAppendTime && context.maxTimestamp
        ? context.maxTimestamp
        : String(firstTimestamp + timestampDelta);
    const key = decoder.readVarIntBytes();
    const value = decoder.readVarIntBytes();
    const headersAt = decoder.offset;
    skipHeaders(decoder);
    const { buffer } = decoder;
    let headers: DecodedRecord["headers"] | undefined;
    return {
      magicByte: context.magicByte,
      attributes,
      timestamp,
      offset: String(firstOffset + offsetDelta),
      key,
      value,
      // Read on first use: the projector reads a record's headers only to trace or dead-letter it.
      get headers() {
        return (headers ??= readHeaders(decoderAt(Decoder, buffer, headersAt)));
      },
      set headers(replaced) {
        headers = replaced;
      },
      isControlRecord: context.isControlBatch ?? false,
      batchContext: context,
    };
  };
}

function decoderAt(Decoder: DecoderClass, buffer: Buffer, offset: number): DecoderInstance {
  const decoder = new Decoder(buffer);
  decoder.offset = offset;
  return decoder;
}

function skipHeaders(decoder: DecoderInstance): void {
  const count = decoder.readVarInt();
  for (let i = 0; i < 2 * count; i++) {
    const length = decoder.readVarInt();
    if (length > 0) decoder.offset += length;
  }
}

/** A zigzag varlong of up to 7 bytes (exact in a double); undefined, nothing consumed, for longer ones. */
function readSmallVarLong(decoder: DecoderInstance): number | undefined {
  const { buffer } = decoder;
  let at = decoder.offset;
  let result = 0;
  let scale = 1;
  for (let i = 0; i < 7; i++) {
    const byte = buffer[at++];
    if (byte === undefined) return undefined;
    result += (byte & 0x7f) * scale;
    scale *= 0x80;
    if (byte < 0x80) {
      decoder.offset = at;
      return result % 2 === 0 ? result / 2 : -(result + 1) / 2;
    }
  }
  return undefined;
}

function readHeaders(decoder: DecoderInstance): Record<string, Buffer | Buffer[]> {
  const headers: Record<string, Buffer | Buffer[]> = {};
  const count = decoder.readVarInt();
  for (let i = 0; i < count; i++) {
    const key = decoder.readVarIntString() as string;
    const value = decoder.readVarIntBytes() as Buffer;
    const before = Object.hasOwn(headers, key) ? headers[key] : undefined;
    const next = before === undefined ? value : Array.isArray(before) ? [...before, value] : [before, value];
    if (key !== "__proto__") headers[key] = next;
    // A plain assignment to "__proto__" would set the prototype; kafkajs' spread defines a property.
    else
      Object.defineProperty(headers, key, {
        value: next,
        enumerable: true,
        writable: true,
        configurable: true,
      });
  }
  return headers;
}
