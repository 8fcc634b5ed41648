import { parseArgs } from "node:util";
import { ExportFormat } from "@conveyor/proto/conveyor/query/v1/exports_pb";

export type ExportTarget = "orders" | "tasks" | "users";

export interface ExportCommandOptions {
  target: ExportTarget;
  format: ExportFormat;
  out: string;
  resume: boolean;
  parallel: number;
  /** query-service base URL, e.g. http://127.0.0.1:50052. */
  url: string;
  /** The filter as the request's filter message (protobuf JSON names), e.g. { statuses: ["ORDER_STATUS_PAID"] }. */
  filter: Record<string, unknown>;
  chunkSize: number;
  consistencyToken: string;
  /** Bearer token for query-service (--token, else $CONVEYOR_TOKEN). */
  token?: string;
}

export const exportUsage = `usage: conveyor export orders|tasks|users --out FILE [options]

  --format csv|ndjson|rows  csv (default) and ndjson are written as the server sends them; rows writes
                            size-delimited protobuf row messages (OrderRow, TaskRow or UserRow)
  --out FILE                the output; FILE.cursor records the cursor of the last flushed bytes
  --resume                  continue an interrupted export from FILE.cursor (bytes past it are dropped)
  --parallel N              N concurrent streams over one snapshot (FILE.part-K files, joined at the end)
  --url URL                 query-service (default $CONVEYOR_QUERY_URL or http://127.0.0.1:50052)
  --token TOKEN             bearer token (default $CONVEYOR_TOKEN; \`npm start\` prints a development one)
  --filter JSON             the filter message in protobuf JSON, e.g. '{"statuses":["ORDER_STATUS_PAID"]}'
                            or '{"month":3,"category":"ops"}'
  --chunk-size N            rows per message (default: the server's, about 64 KiB)
  --consistency-token T     wait until the read model has applied the writes of a command response`;

export class UsageError extends Error {}

const formats: Record<string, ExportFormat> = {
  csv: ExportFormat.CSV,
  ndjson: ExportFormat.NDJSON,
  rows: ExportFormat.ROWS,
};

export function parseExportArgs(
  args: string[],
  env: Record<string, string | undefined> = process.env,
): ExportCommandOptions {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      format: { type: "string", default: "csv" },
      out: { type: "string" },
      resume: { type: "boolean", default: false },
      parallel: { type: "string", default: "1" },
      url: { type: "string" },
      token: { type: "string" },
      filter: { type: "string", default: "{}" },
      "chunk-size": { type: "string", default: "0" },
      "consistency-token": { type: "string", default: "" },
    },
  });
  const [target, ...extra] = positionals;
  if (target !== "orders" && target !== "tasks" && target !== "users")
    throw new UsageError("export what: orders, tasks or users?");
  if (extra.length > 0) throw new UsageError(`unexpected arguments: ${extra.join(" ")}`);
  if (!values.out) throw new UsageError("--out FILE is required");
  const format = formats[values.format];
  if (format === undefined)
    throw new UsageError(`--format must be csv, ndjson or rows, not ${values.format}`);
  return {
    target,
    format,
    out: values.out,
    resume: values.resume,
    parallel: positiveInteger(values.parallel, "--parallel"),
    url: values.url ?? env.CONVEYOR_QUERY_URL ?? "http://127.0.0.1:50052",
    filter: parseFilter(values.filter),
    chunkSize: positiveInteger(values["chunk-size"], "--chunk-size", 0),
    consistencyToken: values["consistency-token"],
    token: values.token ?? (env.CONVEYOR_TOKEN || undefined),
  };
}

function parseFilter(text: string): Record<string, unknown> {
  try {
    const filter = JSON.parse(text) as unknown;
    if (typeof filter === "object" && filter !== null && !Array.isArray(filter))
      return filter as Record<string, unknown>;
  } catch {
    // reported below
  }
  throw new UsageError(`--filter must be a JSON object, not ${text}`);
}

function positiveInteger(text: string, flag: string, min = 1): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < min)
    throw new UsageError(`${flag} must be an integer of at least ${min}`);
  return value;
}
