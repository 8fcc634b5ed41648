import { ExportFormat } from "@conveyor/proto/conveyor/query/v1/exports_pb";
import { Counter, Histogram, type Registry } from "@conveyor/runtime";

/** The labels of one export stream. */
export interface ExportLabels {
  /** users, orders or tasks. */
  table: string;
  /** rows, csv or ndjson. */
  format: string;
  /** export, or changes since an export. */
  mode: string;
}

/** Rows streamed and stream durations; rows/s is `rate(conveyor_export_rows_total[1m])`. */
export interface ExportMetrics {
  rows(labels: ExportLabels, count: number): void;
  ended(labels: ExportLabels, outcome: "completed" | "failed" | "cancelled", seconds: number): void;
}

const durationBuckets = [0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300, 900, 1800, 3600];

export function createExportMetrics(registry: Registry): ExportMetrics {
  const rows = new Counter({
    name: "conveyor_export_rows_total",
    help: "Rows streamed by exports (counted as each chunk is handed to the transport).",
    labelNames: ["table", "format", "mode"] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: "conveyor_export_duration_seconds",
    help: "Export streams from start to end, by outcome.",
    labelNames: ["table", "format", "mode", "outcome"] as const,
    buckets: durationBuckets,
    registers: [registry],
  });
  return {
    rows: (labels, count) => rows.inc({ ...labels }, count),
    ended: (labels, outcome, seconds) => duration.observe({ ...labels, outcome }, seconds),
  };
}

/** The format label of a requested format. */
export function formatLabel(format: ExportFormat | undefined): string {
  switch (format) {
    case ExportFormat.CSV:
      return "csv";
    case ExportFormat.NDJSON:
      return "ndjson";
    default:
      return "rows";
  }
}

/**
 * `messages` counted into `metrics`: each message's rows (from the running total, which a resumed
 * export starts at `rowsBefore()`, read once the first message proved the cursor valid) and the end.
 */
export async function* measuredExport<T extends { rowsSoFar: number }>(
  metrics: ExportMetrics,
  labels: ExportLabels,
  rowsBefore: () => number,
  messages: AsyncIterable<T>,
): AsyncGenerator<T> {
  const started = performance.now();
  let counted: number | undefined;
  let outcome: "completed" | "failed" | "cancelled" = "cancelled";
  try {
    for await (const message of messages) {
      counted ??= rowsBefore();
      if (message.rowsSoFar > counted) metrics.rows(labels, message.rowsSoFar - counted);
      counted = message.rowsSoFar;
      yield message;
    }
    outcome = "completed";
  } catch (error) {
    outcome = "failed";
    throw error;
  } finally {
    metrics.ended(labels, outcome, (performance.now() - started) / 1000);
  }
}
