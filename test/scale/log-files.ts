import { createWriteStream, mkdirSync, rmSync, type WriteStream } from "node:fs";
import { join } from "node:path";

export interface LogFiles {
  dir: string;
  /** Appends `line` to <dir>/<source>.log. */
  write(source: string, line: string): void;
  close(): Promise<void>;
}

/** One log file per process under `dir` (emptied first), to read after a failed run. */
export function createLogFiles(dir: string): LogFiles {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const streams = new Map<string, WriteStream>();
  return {
    dir,
    write(source, line) {
      let stream = streams.get(source);
      if (!stream) streams.set(source, (stream = createWriteStream(join(dir, `${source}.log`))));
      stream.write(`${line}\n`);
    },
    async close() {
      await Promise.all([...streams.values()].map((stream) => new Promise((done) => stream.end(done))));
    },
  };
}
