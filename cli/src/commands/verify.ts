import { verifyReadModel, type RowDifference } from "@conveyor/query-service/verify";

export const summary =
  "recompute the export rows from the write database and report every difference with the read model";

const usage = `usage: conveyor verify

Compares every row of read_users, read_orders and read_tasks with the same row recomputed from the
write database and prints each difference (one JSON object per line on stdout), then a summary on stderr.
Differences are expected while the projector is behind; zero once it has caught up.
Environment: WRITE_DATABASE_URL, READ_DATABASE_URL.`;

/** Exit codes: 0 no difference, 1 differences found, 2 bad usage. */
export async function run(args: string[]): Promise<number> {
  const { WRITE_DATABASE_URL: writeDatabaseUrl, READ_DATABASE_URL: readDatabaseUrl } = process.env;
  if (args.length > 0 || !writeDatabaseUrl || !readDatabaseUrl) {
    console.error(usage);
    return 2;
  }
  const result = await verifyReadModel({
    writeDatabaseUrl,
    readDatabaseUrl,
    onDifference: (difference: RowDifference) => process.stdout.write(`${JSON.stringify(difference)}\n`),
  });
  const rows = Object.entries(result.rows).map(([table, n]) => `${table} ${n.toLocaleString("en-US")}`);
  console.error(`compared ${rows.join(", ")} rows: ${result.differences} difference(s)`);
  return result.differences === 0 ? 0 : 1;
}
