import { Code, ConnectError, createClient, type Client } from "@connectrpc/connect";
import { TransactionMode } from "@conveyor/proto/conveyor/command/v1/batch_pb";
import { CommandService } from "@conveyor/proto/conveyor/command/v1/command_service_pb";
import { grpcTransport } from "../grpc-transport.ts";
import { openFailureSummary, type BatchSource, type FailureSummary } from "./failure-summary.ts";
import type { ImportOptions } from "./import-options.ts";
import { inBatches, readCommands, scanCommands, type NumberedCommand } from "./ndjson-commands.ts";
import { createProgress, type ProgressOutput } from "./progress-bar.ts";
import { refusedBatch, sendBatch, type SendOptions } from "./send-batch.ts";

export interface ImportOutcome {
  commands: number;
  batches: number;
  /** Batches the server had already run (an import re-run), answered from its stored results. */
  replayedBatches: number;
  failedAggregates: number;
  refusedBatches: number;
}

/**
 * Imports a file of commands: checks every line first (nothing is sent if one is bad), then sends
 * the commands in batches, one request at a time, in file order, so a later batch can rely on an
 * earlier one. Failed aggregates and refused batches go to the summary file.
 */
export async function runImport(
  options: ImportOptions,
  out: ProgressOutput,
  send: SendOptions = { attempts: 4, firstDelayMs: 500 },
): Promise<ImportOutcome> {
  const { commands, sha256 } = await scanCommands(options.file);
  const client = createClient(CommandService, grpcTransport(options.url, options.token));
  const summary = openFailureSummary(options.summaryPath);
  const progress = createProgress(out, commands);
  const outcome: ImportOutcome = {
    commands: 0,
    batches: 0,
    replayedBatches: 0,
    failedAggregates: 0,
    refusedBatches: 0,
  };
  const importBatch = batchImporter({ client, summary, outcome, send, allOrNothing: options.allOrNothing });
  try {
    for await (const batch of inBatches(readCommands(options.file), options.batchSize)) {
      outcome.batches += 1;
      const requestId = `import-${sha256.slice(0, 24)}-${outcome.batches}`;
      await importBatch(batch, { batch: outcome.batches, requestId, lines: batch.map((c) => c.line) });
      outcome.commands += batch.length;
      progress.update(outcome.commands, outcome.failedAggregates);
    }
  } finally {
    progress.finish(outcome.commands, outcome.failedAggregates);
    await summary.close();
  }
  return outcome;
}

interface BatchImporterDeps {
  client: Client<typeof CommandService>;
  summary: FailureSummary;
  outcome: ImportOutcome;
  send: SendOptions;
  allOrNothing: boolean;
}

/** Sends one batch and records its failures; a batch the server refuses is recorded too, other errors stop the import. */
function batchImporter({ client, summary, outcome, send, allOrNothing }: BatchImporterDeps) {
  const transactionMode = allOrNothing ? TransactionMode.ALL_OR_NOTHING : TransactionMode.PER_AGGREGATE;
  return async (batch: NumberedCommand[], source: BatchSource) => {
    const request = {
      requestId: source.requestId,
      commands: batch.map((c) => c.command),
      options: { transactionMode },
    };
    try {
      const response = await sendBatch(client, request, send);
      if (response.replayed) outcome.replayedBatches += 1;
      for (const result of response.results.filter((r) => !r.success)) {
        outcome.failedAggregates += 1;
        summary.aggregate(source, result);
      }
    } catch (error) {
      const refused = ConnectError.from(error);
      if (!refusedBatch.has(refused.code)) throw error;
      outcome.refusedBatches += 1;
      summary.batch(source, Code[refused.code], refused.rawMessage);
    }
  };
}
