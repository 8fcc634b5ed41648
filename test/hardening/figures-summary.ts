import { existsSync, readFileSync, rmSync } from "node:fs";
import { figuresFile, formatFigures, type Figures } from "./figures.ts";

/** Vitest global setup of the hardening project: starts from no figures and prints them all at the end. */
export default function setup(): () => void {
  rmSync(figuresFile, { force: true });
  return () => {
    if (!existsSync(figuresFile)) return;
    const lines = readFileSync(figuresFile, "utf8").trim().split("\n").filter(Boolean);
    console.log(`\nhardening figures (${process.env.HARDENING_SCALE === "full" ? "full" : "short"} run):`);
    for (const line of lines) {
      const { suite, ...figures } = JSON.parse(line) as { suite: string } & Figures;
      console.log(`  ${suite}: ${formatFigures(figures)}`);
    }
  };
}
