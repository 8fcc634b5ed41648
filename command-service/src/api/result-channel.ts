/** An unbounded queue that one side pushes into and the other reads with `for await` until closed. */
export interface ResultChannel<T> extends AsyncIterable<T> {
  push(item: T): void;
  close(): void;
}

export function createResultChannel<T>(): ResultChannel<T> {
  const items: T[] = [];
  let closed = false;
  let wake: (() => void) | undefined;
  const notify = () => {
    wake?.();
    wake = undefined;
  };
  return {
    push(item) {
      items.push(item);
      notify();
    },
    close() {
      closed = true;
      notify();
    },
    async *[Symbol.asyncIterator]() {
      for (;;) {
        if (items.length > 0) yield items.shift()!;
        else if (closed) return;
        else await new Promise<void>((resolve) => (wake = resolve));
      }
    },
  };
}
