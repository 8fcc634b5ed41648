/** Where progress goes: a TTY is redrawn in place, anything else gets a line every second. */
export interface ProgressOutput {
  write(text: string): unknown;
  isTTY?: boolean;
}

export interface ExportProgressBar {
  /** Rows so far (across resumed runs) and the server's estimate of the total (0: unknown). */
  update(rows: number, estimate: number): void;
  finish(rows: number): void;
}

const width = 30;

/** rows, rows/s (of this run) and the estimate, as a bar when the estimate is known. */
export function exportProgressBar(out: ProgressOutput, rowsAtStart: number): ExportProgressBar {
  const started = performance.now();
  let drawnAt = 0;
  let estimate = 0;
  const render = (rows: number) => {
    const seconds = (performance.now() - started) / 1000;
    const rate = seconds > 0 ? Math.round((rows - rowsAtStart) / seconds) : 0;
    const share = estimate > 0 ? Math.min(1, rows / estimate) : 0;
    const bar =
      estimate > 0
        ? `[${"#".repeat(Math.round(share * width)).padEnd(width, ".")}] ${Math.floor(share * 100)}% `
        : "";
    const total = estimate > 0 ? ` of ~${count(estimate)}` : "";
    return `${bar}${count(rows)}${total} rows  ${count(rate)} rows/s`;
  };
  return {
    update(rows, latestEstimate) {
      estimate = latestEstimate || estimate;
      const now = performance.now();
      if (now - drawnAt < (out.isTTY ? 200 : 1000)) return;
      drawnAt = now;
      out.write(out.isTTY ? `\r${render(rows)}` : `${render(rows)}\n`);
    },
    finish(rows) {
      out.write(`${out.isTTY ? "\r" : ""}${render(rows)}\n`);
    },
  };
}

function count(value: number): string {
  return value.toLocaleString("en-US");
}
