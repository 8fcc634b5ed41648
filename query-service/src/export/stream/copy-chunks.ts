import type { PoolClient } from "pg";
import type { Chunker, ExportChunk } from "./chunker.ts";
import { CopyOut } from "./copy-out.ts";

/** Chunks held ready before the socket is paused: with ~64 KiB chunks, about 256 KiB per stream. */
const READY_CHUNKS = 4;
/** Chunks left ready when the socket is resumed (hysteresis: no pause/resume on every message). */
const RESUME_AT = 1;

/**
 * Runs one COPY and yields its chunks as the consumer asks for them. At most READY_CHUNKS wait in
 * memory (plus the rest of the socket read that filled them): then the socket is paused until the
 * consumer has taken all but RESUME_AT, so a slow client slows PostgreSQL down instead of filling this
 * process. Resuming on every message taken would not: each resume lets at least one more socket read
 * in, which can hold more rows than the message taken, so a client that keeps reading, only more
 * slowly than PostgreSQL sends, made the queue grow with the export (GBs at 10M rows). An abort (of
 * `signal`) ends the iteration with its reason.
 */
export async function* copyChunks(
  client: PoolClient,
  sql: string,
  chunker: Chunker,
  signal: AbortSignal,
): AsyncGenerator<ExportChunk> {
  const ready: ExportChunk[] = [];
  let wake: (() => void) | undefined;
  let finished = false;
  let failure: { error: unknown } | undefined;
  const copy = new CopyOut(sql, (bytes, start, end) => chunker.onRow(bytes, start, end));
  chunker.onChunk = (chunk) => {
    ready.push(chunk);
    if (ready.length >= READY_CHUNKS) copy.pause();
    wake?.();
  };
  const fail = (error: unknown) => {
    failure ??= { error };
    wake?.();
  };
  const onAbort = () => fail(signal.reason);
  signal.addEventListener("abort", onAbort);
  copy.done.then(() => ((finished = true), wake?.()), fail);
  void client.query(copy);
  try {
    for (;;) {
      if (failure) throw failure.error;
      const chunk = ready.shift();
      if (chunk) {
        if (ready.length <= RESUME_AT) copy.resume();
        yield chunk;
      } else if (finished) {
        chunker.flush();
        if (ready.length === 0) return;
      } else {
        await new Promise<void>((resolve) => (wake = resolve));
      }
    }
  } finally {
    signal.removeEventListener("abort", onAbort);
    chunker.onChunk = undefined;
  }
}
