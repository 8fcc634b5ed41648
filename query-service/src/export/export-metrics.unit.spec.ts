import { describe, expect, it } from "vitest";
import { measuredExport, type ExportLabels, type ExportMetrics } from "./export-metrics.ts";

const labels: ExportLabels = { table: "users", format: "csv", mode: "export" };

function recording() {
  const rows: number[] = [];
  const ended: string[] = [];
  const metrics: ExportMetrics = {
    rows: (_, count) => rows.push(count),
    ended: (_, outcome) => ended.push(outcome),
  };
  return { metrics, rows, ended };
}

async function* messages(...rowsSoFar: number[]) {
  for (const rows of rowsSoFar) yield await Promise.resolve({ rowsSoFar: rows });
}

async function drain(stream: AsyncIterable<unknown>, stopAfter = Infinity): Promise<void> {
  const iterator = stream[Symbol.asyncIterator]();
  for (let taken = 0; taken < stopAfter; taken++) if ((await iterator.next()).done) return;
  await iterator.return?.();
}

describe("measuredExport", () => {
  it("counts each message's rows from the running total, a resumed export from its cursor's count", async () => {
    const fresh = recording();
    await drain(measuredExport(fresh.metrics, labels, () => 0, messages(100, 250, 250)));
    expect(fresh.rows).toEqual([100, 150]);
    expect(fresh.ended).toEqual(["completed"]);

    const resumed = recording();
    await drain(measuredExport(resumed.metrics, labels, () => 1000, messages(1100, 1200)));
    expect(resumed.rows).toEqual([100, 100]);
  });

  it("ends as cancelled when the consumer stops, and as failed when the stream throws", async () => {
    const cancelled = recording();
    await drain(
      measuredExport(cancelled.metrics, labels, () => 0, messages(1, 2, 3)),
      1,
    );
    expect(cancelled.ended).toEqual(["cancelled"]);

    const failed = recording();
    async function* broken() {
      yield await Promise.resolve({ rowsSoFar: 5 });
      throw new Error("connection lost");
    }
    await expect(drain(measuredExport(failed.metrics, labels, () => 0, broken()))).rejects.toThrow(
      "connection lost",
    );
    expect(failed).toMatchObject({ rows: [5], ended: ["failed"] });
  });
});
