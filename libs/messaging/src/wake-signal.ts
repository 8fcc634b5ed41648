/** Lets a loop sleep until woken (e.g. by a NOTIFY) or until a timeout, whichever comes first. */
export interface WakeSignal {
  wake(): void;
  sleep(ms: number): Promise<void>;
}

export function createWakeSignal(): WakeSignal {
  let pending = false;
  let wakeSleeper: (() => void) | undefined;
  return {
    wake() {
      pending = true;
      wakeSleeper?.();
    },
    async sleep(ms) {
      if (pending) {
        pending = false;
        return;
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, ms);
        function done() {
          clearTimeout(timer);
          wakeSleeper = undefined;
          resolve();
        }
        wakeSleeper = done;
      });
      pending = false;
    },
  };
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
