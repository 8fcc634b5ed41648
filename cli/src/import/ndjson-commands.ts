import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import { fromJsonString } from "@bufbuild/protobuf";
import { CommandSchema, type Command } from "@conveyor/proto/conveyor/command/v1/commands_pb";

/** A command and the line of the file it came from (1-based). */
export interface NumberedCommand {
  line: number;
  command: Command;
}

export class BadLineError extends Error {
  constructor(
    readonly line: number,
    reason: string,
  ) {
    super(`line ${line}: ${reason}`);
  }
}

/** Parses every non-blank line as a Command in protobuf JSON form; throws BadLineError at the first bad one. */
export async function* readCommands(file: string): AsyncGenerator<NumberedCommand> {
  let line = 0;
  for await (const text of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
    line += 1;
    if (text.trim() === "") continue;
    try {
      yield { line, command: fromJsonString(CommandSchema, text) };
    } catch (error) {
      throw new BadLineError(line, error instanceof Error ? error.message : String(error));
    }
  }
}

/** Checks every line and counts the commands before anything is sent, and fingerprints the file. */
export async function scanCommands(file: string): Promise<{ commands: number; sha256: string }> {
  let commands = 0;
  const parsed = readCommands(file);
  while (!(await parsed.next()).done) commands += 1;
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return { commands, sha256: hash.digest("hex") };
}

/** Groups a stream into arrays of at most `size`. */
export async function* inBatches<T>(items: AsyncIterable<T>, size: number): AsyncGenerator<T[]> {
  let batch: T[] = [];
  for await (const item of items) {
    batch.push(item);
    if (batch.length === size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}
