import { createReadStream, createWriteStream } from "node:fs";
import { readFile, rm, stat, writeFile } from "node:fs/promises";
import { pipeline } from "node:stream/promises";
import type { DescMessage, JsonObject } from "@bufbuild/protobuf";
import { sizeDelimitedEncode } from "@bufbuild/protobuf/wire";
import { ExportFormat } from "@conveyor/proto/conveyor/query/v1/exports_pb";
import { type Checkpoint, CheckpointedFile } from "./checkpointed-file.ts";
import { type ExportCalls, type ExportChunk, exportCalls, queryClient } from "./export-calls.ts";
import type { ExportCommandOptions } from "./export-options.ts";
import { exportProgressBar, type ProgressOutput } from "./export-progress.ts";

export interface ExportOutcome {
  rows: number;
  /** The final cursor(s): pass one to Export*Changes to follow on (one per part of a parallel export). */
  cursors: string[];
}

/**
 * Runs `conveyor export`: one stream into FILE, or with --parallel N one stream per planned part into
 * FILE.part-K, joined into FILE in key order at the end. Every file keeps its checkpoint beside it, so
 * an interrupted run (signal) continues with --resume.
 */
export async function runExport(
  options: ExportCommandOptions,
  out: ProgressOutput,
  signal: AbortSignal,
): Promise<ExportOutcome> {
  const calls = exportCalls(
    queryClient(options.url, options.token),
    options.target,
    options.filter as JsonObject,
  );
  const resumedParts = options.resume ? await readManifest(options.out) : undefined;
  if (resumedParts) return runParallel(calls, options, resumedParts, out, signal);
  if (options.parallel > 1 && !options.resume)
    return runParallel(calls, options, await planParts(calls, options), out, signal);
  return runSingle(calls, options, out, signal);
}

async function runSingle(
  calls: ExportCalls,
  options: ExportCommandOptions,
  out: ProgressOutput,
  signal: AbortSignal,
) {
  const progress = exportProgressBar(out, 0);
  const last = await streamInto(calls, options, options.out, options.resume, signal, (rows, estimate) =>
    progress.update(rows, estimate),
  );
  progress.finish(last.rows);
  return { rows: last.rows, cursors: [last.cursor] };
}

async function runParallel(
  calls: ExportCalls,
  options: ExportCommandOptions,
  parts: string[],
  out: ProgressOutput,
  signal: AbortSignal,
) {
  const progress = exportProgressBar(out, 0);
  const rows = parts.map(() => 0);
  const estimates = parts.map(() => 0);
  const finals = await Promise.all(
    parts.map((path, i) =>
      streamInto(calls, options, path, true, signal, (partRows, estimate) => {
        rows[i] = partRows;
        estimates[i] = estimate;
        progress.update(sum(rows), sum(estimates));
      }),
    ),
  );
  await join(parts, options.out);
  const outcome = {
    rows: sum(finals.map((final) => final.rows)),
    cursors: finals.map((final) => final.cursor),
  };
  const bytes = (await stat(options.out)).size;
  await writeFile(`${options.out}.cursor`, JSON.stringify({ cursor: "", ...outcome, bytes, done: true }));
  await Promise.all(parts.flatMap((path) => [rm(path), rm(`${path}.cursor`)]));
  await rm(manifestPath(options.out));
  progress.finish(outcome.rows);
  return outcome;
}

/** Streams one export (or part) into `path` from its checkpoint, returning the final checkpoint. */
async function streamInto(
  calls: ExportCalls,
  options: ExportCommandOptions,
  path: string,
  resume: boolean,
  signal: AbortSignal,
  onProgress: (rows: number, estimate: number) => void,
) {
  const { file, checkpoint } = await CheckpointedFile.open(path, resume);
  let last: Omit<Checkpoint, "bytes"> = checkpoint ?? { cursor: "", rows: 0, done: false };
  try {
    if (last.done) return last;
    const request = {
      format: options.format,
      chunkSize: options.chunkSize,
      cursor: last.cursor,
      consistencyToken: options.consistencyToken,
    };
    for await (const chunk of calls.stream(request, signal)) {
      const progress = chunk.progress!;
      last = { cursor: progress.cursor, rows: Number(progress.rowsSoFar), done: progress.done };
      await file.append(bytesOf(chunk, options.format, calls.rowSchema), last);
      onProgress(last.rows, Number(progress.estimatedTotal));
    }
    return last;
  } finally {
    await file.close();
  }
}

function bytesOf(chunk: ExportChunk, format: ExportFormat, rowSchema: DescMessage): Uint8Array {
  if (format !== ExportFormat.ROWS) return chunk.data;
  return Buffer.concat(chunk.rows.map((row) => sizeDelimitedEncode(rowSchema, row as never)));
}

/** Plans the parts and writes each one's starting checkpoint, so even an unstarted part can be resumed. */
async function planParts(calls: ExportCalls, options: ExportCommandOptions): Promise<string[]> {
  const plan = await calls.plan(options.parallel, options.consistencyToken);
  const parts = plan.partCursors.map((_, i) => `${options.out}.part-${i}`);
  await Promise.all(
    plan.partCursors.map(async (cursor, i) => {
      await writeFile(parts[i]!, "");
      await writeFile(`${parts[i]}.cursor`, JSON.stringify({ cursor, bytes: 0, rows: 0, done: false }));
    }),
  );
  await rm(`${options.out}.cursor`, { force: true });
  await writeFile(manifestPath(options.out), JSON.stringify({ parts }));
  return parts;
}

/** The part files of an interrupted parallel export of `out`, if that is what it was. */
async function readManifest(out: string): Promise<string[] | undefined> {
  try {
    return (JSON.parse(await readFile(manifestPath(out), "utf8")) as { parts: string[] }).parts;
  } catch {
    return undefined;
  }
}

async function join(parts: string[], out: string): Promise<void> {
  const target = createWriteStream(out);
  for (const part of parts) await pipeline(createReadStream(part), target, { end: false });
  await new Promise<void>((resolve, reject) =>
    target.end((error?: Error | null) => (error ? reject(error) : resolve())),
  );
}

const manifestPath = (out: string) => `${out}.parts`;
const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);
