import { parseArgs } from "node:util";

export interface ImportOptions {
  file: string;
  /** Commands per BatchExecute request. */
  batchSize: number;
  /** command-service base URL, e.g. http://127.0.0.1:50051. */
  url: string;
  /** Where the failed aggregates are written, one JSON object per line. */
  summaryPath: string;
  allOrNothing: boolean;
  /** Bearer token for command-service (--token, else $CONVEYOR_TOKEN). */
  token?: string;
}

export const importUsage = `usage: conveyor import FILE.ndjson [--batch-size N] [--url URL] [--token TOKEN] [--summary PATH] [--all-or-nothing]

  FILE.ndjson       one conveyor.command.v1.Command per line, in its protobuf JSON form, e.g.
                    {"aggregateId":"0190...","createTask":{"title":"Count stock","month":3,"category":"ops"}}
  --batch-size N    commands per request (default 1000; the server allows 10000 unless configured otherwise)
  --url URL         command-service (default $CONVEYOR_COMMAND_URL or http://127.0.0.1:50051)
  --token TOKEN     bearer token (default $CONVEYOR_TOKEN; \`npm start\` prints a development one)
  --summary PATH    failed aggregates, as NDJSON (default FILE.failures.ndjson)
  --all-or-nothing  each request commits entirely or not at all

Request ids derive from the file's content and the batch number, so re-running an interrupted import
replays the batches that already ran instead of executing them again.`;

export class UsageError extends Error {}

export function parseImportArgs(
  args: string[],
  env: Record<string, string | undefined> = process.env,
): ImportOptions {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      "batch-size": { type: "string" },
      url: { type: "string" },
      token: { type: "string" },
      summary: { type: "string" },
      "all-or-nothing": { type: "boolean" },
    },
  });
  const [file, ...extra] = positionals;
  if (!file || extra.length > 0) throw new UsageError("give exactly one FILE.ndjson");
  const batchSize = Number(values["batch-size"] ?? 1000);
  if (!Number.isSafeInteger(batchSize) || batchSize < 1)
    throw new UsageError("--batch-size must be a positive integer");
  return {
    file,
    batchSize,
    url: values.url ?? env.CONVEYOR_COMMAND_URL ?? "http://127.0.0.1:50051",
    summaryPath: values.summary ?? `${file}.failures.ndjson`,
    allOrNothing: values["all-or-nothing"] ?? false,
    token: values.token ?? (env.CONVEYOR_TOKEN || undefined),
  };
}
