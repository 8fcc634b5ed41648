/** Runs at most `concurrency` tasks at a time, starting queued ones in the order they were submitted. */
export function createLimiter(concurrency: number): <T>(task: () => Promise<T>) => Promise<T> {
  let running = 0;
  const queue: (() => void)[] = [];
  // A finishing task hands its slot straight to the next queued one, if any.
  const release = () => {
    const next = queue.shift();
    if (next) next();
    else running -= 1;
  };
  return async (task) => {
    if (running >= concurrency) await new Promise<void>((resolve) => queue.push(resolve));
    else running += 1;
    try {
      return await task();
    } finally {
      release();
    }
  };
}
