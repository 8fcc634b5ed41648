/** Spare buffers kept for reuse: the chunks queued and in flight, with room to spare. */
const MAX_SPARES = 8;

/** A growable byte buffer that encoders append to; `take()` hands out what was written and starts over. */
export class OutputBuffer {
  bytes: Buffer;
  length = 0;

  private readonly spares: Buffer[] = [];

  constructor(private readonly capacity = 64 * 1024) {
    this.bytes = Buffer.allocUnsafeSlow(capacity);
  }

  /** Makes room for `count` more bytes. */
  ensure(count: number): void {
    const needed = this.length + count;
    if (needed <= this.bytes.length) return;
    const grown = Buffer.allocUnsafeSlow(Math.max(needed, this.bytes.length * 2));
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
   * The bytes written so far; the buffer starts empty again on a spare one. Hand the taken bytes back
   * with `recycle` once they have been sent: fresh 64 KiB buffers per message would pile up as
   * garbage faster than V8 collects it.
   */
  take(): Buffer {
    const taken = this.bytes.subarray(0, this.length);
    this.bytes = this.spares.pop() ?? Buffer.allocUnsafeSlow(this.capacity);
    this.length = 0;
    return taken;
  }

  /** Takes back bytes that `take` returned and that nothing uses any more. */
  recycle(taken: Buffer): void {
    if (this.spares.length < MAX_SPARES && taken.byteOffset === 0 && taken.buffer.byteLength >= this.capacity)
      this.spares.push(Buffer.from(taken.buffer));
  }
}
