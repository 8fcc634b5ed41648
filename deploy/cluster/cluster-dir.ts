import { mkdir, readdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { cachePath } from "../local/paths.ts";

export interface ClusterDir {
  path: string;
  remove(): Promise<void>;
}

/**
 * A fresh folder for this process's cluster, .cache/cluster/run-<pid>, after removing the folders of
 * runs whose process has ended.
 */
export async function clusterDir(): Promise<ClusterDir> {
  const parent = cachePath("cluster");
  await mkdir(parent, { recursive: true });
  for (const entry of await readdir(parent)) {
    const pid = /^run-(\d+)$/.exec(entry)?.[1];
    if (pid && (Number(pid) === process.pid || !isAlive(Number(pid))))
      await rm(join(parent, entry), { recursive: true, force: true });
  }
  const path = join(parent, `run-${process.pid}`);
  await mkdir(path, { recursive: true });
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
