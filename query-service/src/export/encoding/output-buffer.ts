/** A growable byte buffer that encoders append to; `take()` hands out what was written and starts over. */
export class OutputBuffer {
  bytes: Buffer;
  length = 0;

  constructor(initialCapacity = 64 * 1024) {
    this.bytes = Buffer.allocUnsafe(initialCapacity);
  }

  /** Makes room for `count` more bytes. */
  ensure(count: number): void {
    const needed = this.length + count;
    if (needed <= this.bytes.length) return;
    const grown = Buffer.allocUnsafe(Math.max(needed, this.bytes.length * 2));
    this.bytes.copy(grown, 0, 0, this.length);
    this.bytes = grown;
  }

  byte(value: number): void {
    this.bytes[this.length++] = value;
  }

  /**
   * Appends source[start, end). The caller has ensured room. Short runs (most fields) are copied in a
   * loop: cheaper than a native call, and unlike `set(subarray())` it allocates nothing.
   */
  copy(source: Uint8Array, start: number, end: number): void {
    const bytes = this.bytes;
    let at = this.length;
    if (end - start > 64) {
      bytes.set(source.subarray(start, end), at);
      at += end - start;
    } else {
      for (let i = start; i < end; i++) bytes[at++] = source[i]!;
    }
    this.length = at;
  }

  /** Appends `source` whole, making room for it. */
  append(source: Uint8Array): void {
    this.ensure(source.length);
    this.bytes.set(source, this.length);
    this.length += source.length;
  }

  /**
   * A copy of the bytes written so far, which the caller owns; the buffer starts empty again and is
   * reused (allocating a fresh one per chunk costs more in garbage collection than the copy).
   */
  take(): Buffer {
    const taken = Buffer.allocUnsafeSlow(this.length);
    this.bytes.copy(taken, 0, 0, this.length);
    this.length = 0;
    return taken;
  }
}
