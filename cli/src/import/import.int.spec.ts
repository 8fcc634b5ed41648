import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { create, toJsonString } from "@bufbuild/protobuf";
import { CommandSchema } from "@conveyor/proto/conveyor/command/v1/commands_pb";
import {
  startBatchTestServer,
  type BatchTestServer,
} from "../../../command-service/src/api/testing/batch-test-server.ts";
import {
  completeTask,
  createTask,
  createUser,
  newId,
  placeOrder,
  type CommandInit,
} from "../../../command-service/src/api/testing/commands.ts";
import { BadLineError } from "./ndjson-commands.ts";
import { runImport } from "./run-import.ts";

let server: BatchTestServer;
let url: string;
let dir: string;
beforeAll(async () => {
  server = await startBatchTestServer("cli_import");
  url = `http://127.0.0.1:${server.port}`;
  dir = await mkdtemp(join(tmpdir(), "conveyor-import-"));
});
afterAll(async () => {
  await server.stop();
  await rm(dir, { recursive: true, force: true });
});

const line = (command: CommandInit) => toJsonString(CommandSchema, create(CommandSchema, command));
const noRetries = { attempts: 1, firstDelayMs: 0 };

async function importLines(name: string, lines: string[], batchSize: number) {
  const file = join(dir, name);
  await writeFile(file, `${lines.join("\n")}\n`);
  const written: string[] = [];
  const options = { file, batchSize, url, summaryPath: `${file}.failures.ndjson`, allOrNothing: false };
  const outcome = await runImport(options, { write: (text: string) => written.push(text) }, noRetries);
  const summary = (await readFile(options.summaryPath, "utf8")).split("\n").filter(Boolean);
  return {
    file,
    options,
    outcome,
    written,
    summary: summary.map((entry) => JSON.parse(entry) as Record<string, unknown>),
  };
}

describe("conveyor import", () => {
  it("sends the file in batches and writes each failed aggregate and refused batch to the summary", async () => {
    const [user, order, task, missing] = [newId(), newId(), newId(), newId()];
    const lines = [
      line(createUser(user)),
      line(placeOrder(order, user)),
      "",
      line(createTask(task)),
      line(completeTask(missing)),
      `{"aggregateId":"not-a-uuid","completeTask":{}}`,
      line(completeTask(task)),
    ];
    const { outcome, written, summary } = await importLines("mixed.ndjson", lines, 2);

    expect(outcome).toEqual({
      commands: 6,
      batches: 3,
      replayedBatches: 0,
      failedAggregates: 1,
      refusedBatches: 1,
    });
    expect(summary).toEqual([
      expect.objectContaining({
        batch: 2,
        aggregateId: missing,
        errorCode: "NOT_FOUND",
        failedCommandIndex: 1,
        line: 5,
      }),
      expect.objectContaining({ batch: 3, errorCode: "InvalidArgument", lines: [6, 7], line: 6 }),
    ]);
    expect(written.at(-1)).toMatch(/100% 6\/6 commands .* 1 failed aggregates\n$/);
    const rows = await server.rows<{ id: string }>("SELECT id FROM orders WHERE customer_id = $1", [user]);
    expect(rows).toEqual([{ id: order }]);
  });

  it("replays every batch of a re-run import instead of executing it again", async () => {
    const lines = [line(createTask(newId())), line(createTask(newId())), line(createTask(newId()))];
    const first = await importLines("rerun.ndjson", lines, 2);
    const events = () => server.rows<{ count: string }>("SELECT count(*) FROM outbox");
    const before = await events();
    const again = await runImport(first.options, { write: () => true }, noRetries);
    expect(again).toMatchObject({ batches: 2, replayedBatches: 2, failedAggregates: 0 });
    expect(await events()).toEqual(before);
  });

  it("sends nothing when a line is not a command", async () => {
    const task = newId();
    const lines = [line(createTask(task)), `{"aggregateId": "${newId()}", "noSuchCommand": {}}`];
    await expect(importLines("bad.ndjson", lines, 10)).rejects.toThrow(BadLineError);
    expect(await server.rows("SELECT id FROM tasks WHERE id = $1", [task])).toEqual([]);
  });
});
