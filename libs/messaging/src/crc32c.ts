const polynomial = 0x82f63b78; // CRC-32C (Castagnoli), reflected

// Slicing-by-8 tables: tables[k][b] is the CRC of byte b followed by k zero bytes.
const tables = Array.from({ length: 8 }, () => new Int32Array(256));
for (let b = 0; b < 256; b++) {
  let crc = b;
  for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ polynomial : crc >>> 1;
  tables[0]![b] = crc;
}
for (let k = 1; k < 8; k++)
  for (let b = 0; b < 256; b++) {
    const previous = tables[k - 1]![b]!;
    tables[k]![b] = (previous >>> 8) ^ tables[0]![previous & 0xff]!;
  }
const [t0, t1, t2, t3, t4, t5, t6, t7] = tables as [
  Int32Array,
  Int32Array,
  Int32Array,
  Int32Array,
  Int32Array,
  Int32Array,
  Int32Array,
  Int32Array,
];

/**
 * The CRC-32C of `bytes` as an unsigned 32-bit number (what Kafka's record batches carry), eight bytes
 * per step: several times kafkajs' byte-at-a-time loop, which the relay runs over every byte it sends.
 */
export function crc32c(bytes: Uint8Array): number {
  let crc = -1;
  let i = 0;
  const whole = bytes.length - (bytes.length % 8);
  for (; i < whole; i += 8) {
    const low = crc ^ (bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24));
    crc =
      t7[low & 0xff]! ^
      t6[(low >>> 8) & 0xff]! ^
      t5[(low >>> 16) & 0xff]! ^
      t4[low >>> 24]! ^
      t3[bytes[i + 4]!]! ^
      t2[bytes[i + 5]!]! ^
      t1[bytes[i + 6]!]! ^
      t0[bytes[i + 7]!]!;
  }
  for (; i < bytes.length; i++) crc = t0[(crc ^ bytes[i]!) & 0xff]! ^ (crc >>> 8);
  return ~crc >>> 0;
}
