import pg from "pg";
import { exportTables } from "./export-rows-sql.ts";
import { rowDifferences, type ComparableRow, type RowDifference } from "./row-differences.ts";

export interface VerifyOptions {
  writeDatabaseUrl: string;
  readDatabaseUrl: string;
  /** Rows per page on each side. */
  pageSize?: number;
  onDifference(difference: RowDifference): void;
}

export interface VerifySummary {
  /** Rows compared per table (the larger of the two sides' counts). */
  rows: Record<string, number>;
  differences: number;
}

// uuid order of the nil uuid: every id sorts after it.
const beforeFirstId = "00000000-0000-0000-0000-000000000000";

/**
 * Recomputes every export row from the write database and compares it with the read model, page by
 * page on both sides (memory stays flat), reporting each difference. Zero differences once the
 * projector has caught up with the writes.
 */
export async function verifyReadModel(options: VerifyOptions): Promise<VerifySummary> {
  const write = new pg.Client({
    connectionString: options.writeDatabaseUrl,
    application_name: "conveyor-verify",
  });
  const read = new pg.Client({
    connectionString: options.readDatabaseUrl,
    application_name: "conveyor-verify",
  });
  await Promise.all([write.connect(), read.connect()]);
  const summary: VerifySummary = { rows: {}, differences: 0 };
  try {
    for (const { table, expected, actual } of exportTables) {
      const counts = { expected: 0, actual: 0 };
      const pageSize = options.pageSize ?? 5000;
      const left = counted(pages(write, expected, pageSize), () => counts.expected++);
      const right = counted(pages(read, actual, pageSize), () => counts.actual++);
      for await (const difference of rowDifferences(table, left, right)) {
        summary.differences++;
        options.onDifference(difference);
      }
      summary.rows[table] = Math.max(counts.expected, counts.actual);
    }
    return summary;
  } finally {
    await Promise.allSettled([write.end(), read.end()]);
  }
}

async function* pages(db: pg.Client, sql: string, pageSize: number): AsyncGenerator<ComparableRow> {
  let after = beforeFirstId;
  for (;;) {
    const { rows } = await db.query<ComparableRow>(sql, [after, pageSize]);
    yield* rows;
    if (rows.length < pageSize) return;
    after = rows.at(-1)!.id;
  }
}

async function* counted<T>(rows: AsyncIterable<T>, count: () => void): AsyncGenerator<T> {
  for await (const row of rows) {
    count();
    yield row;
  }
}
