import { createWriteStream, type WriteStream } from "node:fs";
import { once } from "node:events";
import { AggregateErrorCode, type AggregateResult } from "@conveyor/proto/conveyor/command/v1/batch_pb";
import { AggregateType } from "@conveyor/proto/conveyor/types/v1/types_pb";

/** Where one batch's commands came from, to point failures back at lines of the input file. */
export interface BatchSource {
  batch: number;
  requestId: string;
  /** The input line of each command of the batch, by index. */
  lines: number[];
}

/** The failures of an import, written as NDJSON: one object per failed aggregate or refused batch. */
export interface FailureSummary {
  aggregate(source: BatchSource, result: AggregateResult): void;
  batch(source: BatchSource, code: string, message: string): void;
  close(): Promise<void>;
}

export function openFailureSummary(path: string): FailureSummary {
  const out: WriteStream = createWriteStream(path);
  const write = (entry: object) => out.write(`${JSON.stringify(entry)}\n`);
  return {
    aggregate({ batch, requestId, lines }, result) {
      const index = result.failedCommandIndex;
      write({
        batch,
        requestId,
        aggregateId: result.aggregateId,
        aggregateType: AggregateType[result.aggregateType],
        errorCode: AggregateErrorCode[result.errorCode],
        errorMessage: result.errorMessage,
        ...(index !== undefined && { failedCommandIndex: index, line: lines[index] }),
      });
    },
    batch({ batch, requestId, lines }, code, message) {
      // A validation message starts with the field, e.g. "commands[3].create_task.month: ...".
      const index = /^commands\[(\d+)\]/.exec(message)?.[1];
      const line = index === undefined ? undefined : lines[Number(index)];
      write({
        batch,
        requestId,
        errorCode: code,
        errorMessage: message,
        lines: [lines[0], lines.at(-1)],
        line,
      });
    },
    async close() {
      out.end();
      await once(out, "close");
    },
  };
}
