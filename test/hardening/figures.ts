import { appendFileSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { cachePath } from "../../deploy/local/paths.ts";

/** Where every hardening suite appends its figures; the project's teardown prints them all at the end. */
export const figuresFile = cachePath("hardening", "figures.jsonl");

export type Figures = Record<string, number | string>;

/**
 * Records what a hardening suite measured (faults survived, inputs tried, commands sent, lost, ...):
 * printed at once and again in the summary after the run.
 */
export function reportFigures(suite: string, figures: Figures): void {
  mkdirSync(dirname(figuresFile), { recursive: true });
  appendFileSync(figuresFile, `${JSON.stringify({ suite, ...figures })}\n`);
  console.log(`[hardening] ${suite}: ${formatFigures(figures)}`);
}

export function formatFigures(figures: Figures): string {
  return Object.entries(figures)
    .map(([name, value]) => `${name}=${typeof value === "number" ? value.toLocaleString("en-US") : value}`)
    .join(", ");
}

/** "short" (the default, what `npm test` and CI run) or "full" (`npm run hardening`). */
export function hardeningScale(): "short" | "full" {
  return process.env.HARDENING_SCALE === "full" ? "full" : "short";
}
