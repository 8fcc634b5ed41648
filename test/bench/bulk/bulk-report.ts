import { loadavg } from "node:os";
import type { BulkPostgres } from "./bulk-postgres.ts";

export interface Size {
  tasks: number;
  /** Measured runs of each bulk variant and of the bare UPDATE (medians reported). */
  runs: number;
  /** Tasks the sequential way processes; fewer than `tasks` means its time is extrapolated. */
  sequentialSample: number;
  targetSeconds: number;
}

export interface Measured {
  seconds: number;
  /** CPU seconds of the server backends serving the bench's connections, when the server is local. */
  cpu: number | undefined;
}

export interface BulkFigures {
  postgres: BulkPostgres;
  size: Size;
  /** One statement on one connection. */
  bulk: Measured[];
  /** `parallelRanges` key ranges at once, each on its own connection. */
  parallel: Measured[];
  parallelRanges: number;
  bare: Measured[];
  /** One bare UPDATE on the table at fillfactor 100 (the layout before migration 0004). */
  bareFull: Measured;
  sampleSeconds: number;
}

/** Prints times, CPU and ratios; each ratio says which figures it compares. */
export function report(figures: BulkFigures): void {
  const { size, parallelRanges: ranges } = figures;
  const bulk = median(figures.bulk.map((run) => run.seconds));
  const parallel = median(figures.parallel.map((run) => run.seconds));
  const bare = median(figures.bare.map((run) => run.seconds));
  const sequential = (figures.sampleSeconds * size.tasks) / size.sequentialSample;
  const extrapolated = size.sequentialSample < size.tasks;
  const how = extrapolated
    ? `EXTRAPOLATED from ${count(size.sequentialSample)} tasks in ${figures.sampleSeconds.toFixed(1)} s`
    : "measured in full";
  const fastest = Math.min(bulk, parallel);
  const load = loadavg()
    .map((l) => l.toFixed(1))
    .join(" ");
  console.log(`bulk: set the execution date of ${count(size.tasks)} tasks (+10% others)`);
  console.log(`  server: ${figures.postgres.description}; load average ${load} on this machine`);
  console.log(`  bulk update, events, one statement      ${bulk.toFixed(3)} s  ${runs(figures.bulk)}`);
  console.log(
    `  bulk update, events, ${ranges} ranges at once  ${parallel.toFixed(3)} s  ${runs(figures.parallel)} (${ranges} connections; CPU summed over them)`,
  );
  console.log(`  bare UPDATE, no events                  ${bare.toFixed(3)} s  ${runs(figures.bare)}`);
  console.log(
    `  bare UPDATE, table at fillfactor 100    ${figures.bareFull.seconds.toFixed(3)} s  ${runs([figures.bareFull])} (reference: before migration 0004)`,
  );
  console.log(
    `  sequential ORM                          ${sequential.toFixed(1)} s  (${how}; load, check, save + event, a transaction per task)`,
  );
  console.log(
    `  bulk < ${size.targetSeconds} s  ${verdict(bulk < size.targetSeconds)} (one statement)${parallelVerdict(parallel, size)}`,
  );
  console.log(
    `  bulk / bare  ${(bulk / bare).toFixed(2)}x wall${cpuRatio(figures.bulk, figures.bare)}, one statement vs the bare UPDATE, each on one connection (target <= 1.5x: ${verdict(bulk / bare <= 1.5)})`,
  );
  console.log(
    `  bulk in ${ranges} ranges / bare  ${(parallel / bare).toFixed(2)}x wall${cpuRatio(figures.parallel, figures.bare)} (${ranges} connections vs 1)`,
  );
  console.log(
    `  sequential / bulk  ${Math.round(sequential / fastest)}x (fastest bulk variant; target >= 100x: ${verdict(sequential / fastest >= 100)})`,
  );
}

function parallelVerdict(seconds: number, size: Size): string {
  return `, ${verdict(seconds < size.targetSeconds)} (key ranges at once)`;
}

function verdict(ok: boolean): string {
  return ok ? "met" : "MISSED";
}

function runs(measured: Measured[]): string {
  const wall = measured.map((run) => run.seconds.toFixed(3)).join(", ");
  const cpu = measured.every((run) => run.cpu !== undefined)
    ? `; server CPU ${median(measured.map((run) => run.cpu!)).toFixed(2)} s`
    : "";
  return `(${measured.length > 1 ? `median of ${measured.length}: ` : ""}${wall}${cpu})`;
}

function cpuRatio(a: Measured[], b: Measured[]): string {
  if (![...a, ...b].every((run) => run.cpu !== undefined)) return "";
  return `, ${(median(a.map((run) => run.cpu!)) / median(b.map((run) => run.cpu!))).toFixed(2)}x server CPU`;
}

function count(n: number): string {
  return n.toLocaleString("en-US");
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}
