import { ConnectError } from "@connectrpc/connect";
import { importUsage, parseImportArgs, UsageError } from "../import/import-options.ts";
import { BadLineError } from "../import/ndjson-commands.ts";
import { runImport } from "../import/run-import.ts";

export const summary =
  "import an NDJSON file of commands in batches, with progress and a summary of failures";

/** Exit codes: 0 everything applied, 1 some aggregates or batches failed (see the summary file), 2 bad usage or input. */
export async function run(args: string[]): Promise<number> {
  try {
    const options = parseImportArgs(args);
    const outcome = await runImport(options, process.stderr);
    const failed = outcome.failedAggregates + outcome.refusedBatches;
    console.error(
      `${outcome.commands} commands in ${outcome.batches} batches (${outcome.replayedBatches} replayed): ` +
        `${outcome.failedAggregates} failed aggregates, ${outcome.refusedBatches} refused batches; summary in ${options.summaryPath}`,
    );
    return failed === 0 ? 0 : 1;
  } catch (error) {
    if (error instanceof UsageError) console.error(`${error.message}\n\n${importUsage}`);
    else if (error instanceof BadLineError) console.error(`nothing was sent: ${error.message}`);
    else if (error instanceof ConnectError) console.error(`import stopped: ${error.message}`);
    else throw error;
    return error instanceof ConnectError ? 1 : 2;
  }
}
