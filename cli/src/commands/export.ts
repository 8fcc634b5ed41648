import { ConnectError } from "@connectrpc/connect";
import { exportUsage, parseExportArgs, UsageError } from "../export/export-options.ts";
import { runExport } from "../export/run-export.ts";

export const summary =
  "export orders, tasks or users to CSV, NDJSON or protobuf rows, resumable, with --parallel N";

/** Exit codes: 0 done, 1 the export failed or was interrupted (continue with --resume), 2 bad usage. */
export async function run(args: string[]): Promise<number> {
  const interrupt = new AbortController();
  const onSignal = () => interrupt.abort(new Error("interrupted"));
  process.once("SIGINT", onSignal).once("SIGTERM", onSignal);
  try {
    const options = parseExportArgs(args);
    const outcome = await runExport(options, process.stderr, interrupt.signal);
    console.error(`${outcome.rows} rows in ${options.out}; final cursor in ${options.out}.cursor`);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`${error.message}\n\n${exportUsage}`);
      return 2;
    }
    if (interrupt.signal.aborted || error instanceof ConnectError) {
      console.error(
        `\nexport stopped: ${interrupt.signal.aborted ? "interrupted" : (error as ConnectError).message}; continue with --resume`,
      );
      return 1;
    }
    throw error;
  } finally {
    process.off("SIGINT", onSignal).off("SIGTERM", onSignal);
  }
}
