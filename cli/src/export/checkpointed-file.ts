import { open, readFile, rename, rm, writeFile, type FileHandle } from "node:fs/promises";

/** What FILE.cursor holds: the cursor that resumes right after the first `bytes` bytes of FILE. */
export interface Checkpoint {
  cursor: string;
  bytes: number;
  rows: number;
  done: boolean;
}

/** How often buffered output is flushed to disk and the checkpoint advanced. */
const CHECKPOINT_EVERY_MS = 1000;

/**
 * An output file with a resume point beside it. The checkpoint is written (atomically, by rename)
 * only after the bytes it covers are on disk (fdatasync), so after a crash FILE.cursor never claims
 * bytes that were lost; bytes written after it are cut off when resuming.
 */
export class CheckpointedFile {
  private lastCheckpoint = 0;
  private pending: Checkpoint | undefined;

  private constructor(
    private readonly handle: FileHandle,
    private readonly cursorPath: string,
    private bytes: number,
  ) {}

  /** Opens `path` fresh (truncated, no checkpoint), or at its checkpoint when resuming. */
  static async open(
    path: string,
    resume: boolean,
  ): Promise<{ file: CheckpointedFile; checkpoint?: Checkpoint }> {
    const cursorPath = `${path}.cursor`;
    const checkpoint = resume ? await readCheckpoint(cursorPath) : undefined;
    if (!resume) await rm(cursorPath, { force: true });
    const handle = await open(path, checkpoint ? "r+" : "w");
    await handle.truncate(checkpoint?.bytes ?? 0);
    return { file: new CheckpointedFile(handle, cursorPath, checkpoint?.bytes ?? 0), checkpoint };
  }

  /** Appends `data`, which the cursor `next` resumes after. */
  async append(data: Uint8Array, next: Omit<Checkpoint, "bytes">): Promise<void> {
    if (data.length > 0) await this.handle.write(data, 0, data.length, this.bytes);
    this.bytes += data.length;
    this.pending = { ...next, bytes: this.bytes };
    if (next.done || performance.now() - this.lastCheckpoint >= CHECKPOINT_EVERY_MS) await this.checkpoint();
  }

  /** Flushes what was written and records the checkpoint for it. */
  async checkpoint(): Promise<void> {
    if (!this.pending) return;
    await this.handle.datasync();
    await writeFile(`${this.cursorPath}.tmp`, JSON.stringify(this.pending));
    await rename(`${this.cursorPath}.tmp`, this.cursorPath);
    this.lastCheckpoint = performance.now();
    this.pending = undefined;
  }

  async close(): Promise<void> {
    await this.checkpoint();
    await this.handle.close();
  }
}

export async function readCheckpoint(cursorPath: string): Promise<Checkpoint> {
  try {
    return JSON.parse(await readFile(cursorPath, "utf8")) as Checkpoint;
  } catch (error) {
    throw new Error(`cannot resume: ${cursorPath} is missing or unreadable`, { cause: error });
  }
}
