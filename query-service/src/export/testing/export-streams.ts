import { collect, type ServerStream } from "@conveyor/runtime/testing";

/** Every message's `data` bytes, concatenated. */
export async function collectData(stream: AsyncIterable<{ data: Uint8Array }>): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for await (const message of stream) parts.push(message.data);
  return Buffer.concat(parts);
}

/** The messages of a stream up to and including the first `count` (then the call is cancelled). */
export async function takeMessages<T>(stream: ServerStream<T>, count: number): Promise<T[]> {
  const taken: T[] = [];
  for await (const message of stream) {
    taken.push(message);
    if (taken.length === count) break;
  }
  stream.cancel();
  return taken;
}

/** The error a stream ends with (undefined if it ends cleanly), after reading every message. */
export async function streamError<T>(
  stream: AsyncIterable<T>,
): Promise<{ code: number; details: string; metadata?: unknown } | undefined> {
  try {
    await collect(stream);
    return undefined;
  } catch (error) {
    return error as { code: number; details: string };
  }
}
