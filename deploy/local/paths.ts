import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root (this file sits in deploy/local/). */
export const repoRoot = fileURLToPath(new URL("../..", import.meta.url));

/** A path under the git-ignored `.cache/` folder, where local runs keep data, jars and logs. */
export function cachePath(...segments: string[]): string {
  return join(repoRoot, ".cache", ...segments);
}
