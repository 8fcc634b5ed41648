import type { Duplex } from "node:stream";

const COPY_DATA = 0x64; // 'd'
const COPY_OUT_RESPONSE = 0x48; // 'H'
const HEADER = 5; // type byte + int32 length (which counts itself)

type DataListener = (chunk: Buffer) => void;

/**
 * Reads a COPY's rows straight off the connection's socket, in place of pg's protocol parser, which
 * would build a message object and a Buffer slice per row and dispatch it through three layers: the
 * rows are handed over as offsets into the socket's own read buffer. It takes the socket's "data"
 * listeners (pg's parser) off before the COPY is sent, consumes CopyOutResponse and CopyData messages,
 * and at the first other message (CopyDone, or an ErrorResponse) puts pg's listeners back and feeds
 * them the rest, so pg sees the end of the COPY and the ReadyForQuery as usual.
 */
export class CopyDataReader {
  private readonly pgListeners: DataListener[];
  /** An incomplete message from the end of the previous read. */
  private carry = Buffer.allocUnsafe(1024);
  private carried = 0;
  private stopped = false;

  constructor(
    private readonly socket: Duplex,
    private readonly onRow: (bytes: Buffer, start: number, end: number) => void,
  ) {
    this.pgListeners = socket.listeners("data") as DataListener[];
    socket.removeAllListeners("data");
    socket.on("data", this.onData);
  }

  /** Stops reading rows (after a failure); the socket is left to whoever destroys it. */
  stop(): void {
    this.stopped = true;
  }

  private readonly onData = (chunk: Buffer): void => {
    if (this.stopped) return;
    let at = 0;
    if (this.carried > 0) {
      at = this.completeCarried(chunk);
      if (at < 0 || this.stopped) return;
    }
    while (at < chunk.length) {
      const type = chunk[at]!;
      if (type !== COPY_DATA && type !== COPY_OUT_RESPONSE) return this.handBack(chunk.subarray(at));
      if (at + HEADER > chunk.length) break;
      const end = at + 1 + chunk.readUInt32BE(at + 1);
      if (end > chunk.length) break;
      if (type === COPY_DATA) this.onRow(chunk, at + HEADER, end);
      if (this.stopped) return;
      at = end;
    }
    this.keep(chunk, at, chunk.length);
  };

  /**
   * Completes the carried message (a CopyData or CopyOutResponse: others are handed back at once) with
   * the first bytes of `chunk` and handles it. Returns where the rest of `chunk` starts, or -1 when the
   * chunk was used up and the message is still incomplete.
   */
  private completeCarried(chunk: Buffer): number {
    let at = 0;
    if (this.carried < HEADER) {
      at = Math.min(HEADER - this.carried, chunk.length);
      this.keep(chunk, 0, at);
      if (this.carried < HEADER) return -1;
    }
    const type = this.carry[0]!;
    const missing = 1 + this.carry.readUInt32BE(1) - this.carried;
    const taken = Math.min(missing, chunk.length - at);
    this.keep(chunk, at, at + taken);
    if (taken < missing) return -1;
    if (type === COPY_DATA) this.onRow(this.carry, HEADER, this.carried);
    this.carried = 0;
    return at + taken;
  }

  /** Appends chunk[start, end) to the carried bytes. */
  private keep(chunk: Buffer, start: number, end: number): void {
    const needed = this.carried + end - start;
    if (needed > this.carry.length) {
      const grown = Buffer.allocUnsafe(Math.max(needed, 2 * this.carry.length));
      this.carry.copy(grown, 0, 0, this.carried);
      this.carry = grown;
    }
    chunk.copy(this.carry, this.carried, start, end);
    this.carried = needed;
  }

  /** The COPY's rows are over: pg's parser reads from here on, starting with `rest`. */
  private handBack(rest: Buffer): void {
    this.stopped = true;
    this.socket.off("data", this.onData);
    for (const listener of this.pgListeners) this.socket.on("data", listener);
    for (const listener of this.pgListeners) listener(rest);
  }
}
