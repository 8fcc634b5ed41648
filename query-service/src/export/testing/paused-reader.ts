import type { ServerStream } from "@conveyor/runtime/testing";

/** A server stream read message by message: it takes the first, then leaves the rest unread until resumed. */
export interface PausedReader<T> {
  /** Resolves with the first message, after which reading is paused. */
  first: Promise<T>;
  /** Reads the rest: resolves with every later message, or rejects with the stream's error. */
  resume(): Promise<T[]>;
}

export function pausedAfterFirst<T>(stream: ServerStream<T>): PausedReader<T> {
  const rest: T[] = [];
  let first: T | undefined;
  const ended = new Promise<T[]>((resolve, reject) => {
    stream.on("end", () => resolve(rest)).on("error", reject);
  });
  ended.catch(() => {}); // observed through resume(); a test may never resume
  return {
    first: new Promise<T>((resolve) => {
      stream.on("data", (message: T) => {
        if (first !== undefined) return void rest.push(message);
        first = message;
        stream.pause();
        resolve(message);
      });
    }),
    resume() {
      stream.resume();
      return ended;
    },
  };
}
