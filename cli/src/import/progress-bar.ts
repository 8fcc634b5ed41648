/** Where progress goes: a TTY is redrawn in place, anything else gets a line at most every `everyMs`. */
export interface ProgressOutput {
  write(text: string): unknown;
  isTTY?: boolean;
}

export interface Progress {
  update(done: number, failedAggregates: number): void;
  finish(done: number, failedAggregates: number): void;
}

const width = 30;

/** A progress bar with the command rate and the failures so far. */
export function createProgress(out: ProgressOutput, total: number, everyMs = 1000): Progress {
  const started = performance.now();
  let lastLine = 0;
  const render = (done: number, failed: number) => {
    const share = total === 0 ? 1 : done / total;
    const filled = Math.round(share * width);
    const seconds = (performance.now() - started) / 1000;
    const rate = seconds > 0 ? Math.round(done / seconds) : 0;
    const bar = `${"#".repeat(filled)}${".".repeat(width - filled)}`;
    return `[${bar}] ${Math.floor(share * 100)}% ${count(done)}/${count(total)} commands  ${count(rate)} commands/s  ${count(failed)} failed aggregates`;
  };
  return {
    update(done, failed) {
      if (out.isTTY) {
        out.write(`\r${render(done, failed)}`);
      } else if (performance.now() - lastLine >= everyMs) {
        lastLine = performance.now();
        out.write(`${render(done, failed)}\n`);
      }
    },
    finish(done, failed) {
      out.write(`${out.isTTY ? "\r" : ""}${render(done, failed)}\n`);
    },
  };
}

function count(n: number): string {
  return n.toLocaleString("en-US");
}
