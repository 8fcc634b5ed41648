import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { status, type ServiceError } from "@grpc/grpc-js";
import pg from "pg";
import { v7 as uuidv7 } from "uuid";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { MessageInitShape } from "@bufbuild/protobuf";
import type { BulkUpdateRequestSchema } from "@conveyor/proto/conveyor/command/v1/bulk_pb";
import { CommandService } from "@conveyor/proto/conveyor/command/v1/command_service_pb";
import { createGrpcJsClient } from "@conveyor/runtime/testing";
import { startStack, type Stack } from "../../../test/harness/stack.ts";
import { waitFor } from "../../../test/harness/wait-for.ts";

// BulkUpdate over a real grpc-js client against the whole stack: validation errors with their field,
// the guard, dry runs, a ranged update that fails part way, and the read model after projection.

type RequestInit = MessageInitShape<typeof BulkUpdateRequestSchema>;
type FilterInit = NonNullable<RequestInit["filter"]>;

let stack: Stack;
let commands: ReturnType<typeof createGrpcJsClient<typeof CommandService>>;
let writeDb: pg.Client;
let readDb: pg.Client;

beforeAll(async () => {
  stack = await startStack("bulk-update");
  commands = createGrpcJsClient(
    CommandService,
    `127.0.0.1:${stack.commandPort}`,
    undefined,
    stack.grpcJsOptions,
  );
  writeDb = new pg.Client({ connectionString: stack.writeDatabaseUrl });
  readDb = new pg.Client({ connectionString: stack.readDatabaseUrl });
  await Promise.all([writeDb.connect(), readDb.connect()]);
});

afterAll(async () => {
  commands?.close();
  await writeDb?.end();
  await readDb?.end();
  await stack?.stop();
});

const executionDate = new Date("2026-04-01T08:00:00.000Z");
const setDate = {
  case: "setTaskExecutionDate",
  value: { executionDate: timestampFromDate(executionDate) },
} as const;
const month = (value: number) =>
  ({ node: { case: "task", value: { predicate: { case: "month", value } } } }) as const;
const and = (...filters: FilterInit[]): FilterInit => ({ node: { case: "and", value: { filters } } });
const category = (value: string) =>
  ({ node: { case: "task", value: { predicate: { case: "category", value } } } }) as const;

let category1: string;
let taskIds: string[];

/** Five open tasks and one completed task of a fresh category, created through BatchExecute. */
beforeEach(async () => {
  category1 = `e2e-${uuidv7()}`;
  taskIds = Array.from({ length: 6 }, () => uuidv7());
  const created = await commands.batchExecute({
    requestId: uuidv7(),
    commands: [
      ...taskIds.map((aggregateId, i) => ({
        aggregateId,
        command: {
          case: "createTask" as const,
          value: { title: `task ${i}`, month: 5, category: category1 },
        },
      })),
      { aggregateId: taskIds[5]!, command: { case: "completeTask" as const, value: {} } },
    ],
  });
  expect(created.success).toBe(true);
});

async function outboxCount(): Promise<number> {
  const { rows } = await writeDb.query<{ n: string }>(
    "SELECT count(*) AS n FROM outbox WHERE correlation_id LIKE 'bulk-%'",
  );
  return Number(rows[0]!.n);
}

async function datedTasks(): Promise<number> {
  const { rows } = await writeDb.query<{ n: string }>(
    "SELECT count(*) AS n FROM tasks WHERE category = $1 AND execution_date IS NOT NULL",
    [category1],
  );
  return Number(rows[0]!.n);
}

function bulk(init: Omit<RequestInit, "requestId">) {
  return commands.bulkUpdate({ ...init, requestId: `bulk-${uuidv7()}` } as RequestInit);
}

// grpc-js leaves the ", ;" that the server percent-encodes in grpc-message encoded.
function message(error: ServiceError): string {
  return decodeURIComponent(error.details);
}

async function failure(call: Promise<unknown>): Promise<ServiceError> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e as ServiceError,
  );
  if (!error) throw new Error("expected the call to fail");
  return error;
}

describe("BulkUpdate refuses bad requests, writing nothing", () => {
  it.each<[string, string, Omit<RequestInit, "requestId">]>([
    [
      "a user predicate in a task operation",
      "filter.and.filters[1].user",
      {
        operation: setDate,
        filter: and(month(5), { node: { case: "user", value: { predicate: { case: "role", value: "x" } } } }),
      },
    ],
    [
      "an out-of-range month",
      "filter.not.task.month",
      { operation: setDate, filter: { node: { case: "not", value: month(13) } } },
    ],
    [
      "a NUL in a category",
      "filter.task.category",
      { operation: setDate, filter: category("ops\u0000; DROP TABLE tasks") },
    ],
  ])("%s: INVALID_ARGUMENT naming %s", async (_case, field, request) => {
    const before = await outboxCount();
    const error = await failure(bulk(request));
    expect(error.code).toBe(status.INVALID_ARGUMENT);
    expect(error.metadata.get("x-conveyor-field")).toEqual([field]);
    expect(await outboxCount()).toBe(before);
  });

  it("RESOURCE_EXHAUSTED for a filter of more than 1,000 nodes", async () => {
    const filters = Array.from({ length: 1000 }, () => month(5));
    const error = await failure(
      bulk({ operation: setDate, filter: { node: { case: "or", value: { filters } } } }),
    );
    expect(error.code).toBe(status.RESOURCE_EXHAUSTED);
  });

  it("FAILED_PRECONDITION when more would change than max_affected", async () => {
    const error = await failure(bulk({ operation: setDate, filter: category(category1), maxAffected: 4n }));
    expect(error.code).toBe(status.FAILED_PRECONDITION);
    expect(message(error)).toBe("5 aggregate(s) would change, more than max_affected 4; nothing was written");
    expect(await datedTasks()).toBe(0);
  });
});

describe("BulkUpdate", () => {
  it("dry-runs: counts and a sample, nothing written", async () => {
    const before = await outboxCount();
    const response = await bulk({
      operation: setDate,
      filter: category(category1),
      dryRun: true,
      sampleSize: 2,
    });

    expect(response).toMatchObject({
      dryRun: true,
      matched: 6n,
      updated: 5n,
      skippedPrecondition: 1n,
      eventsWritten: 0n,
    });
    expect(response.sample).toHaveLength(2);
    expect(response.sample[0]!.description).toBe('execution_date: null -> "2026-04-01T08:00:00.000Z"');
    expect(response.consistencyToken).toBe("");
    expect(await datedTasks()).toBe(0);
    expect(await outboxCount()).toBe(before);
  });

  it("updates in one statement, and the read model reflects it after projection", async () => {
    const response = await bulk({
      operation: setDate,
      filter: and(month(5), category(category1)),
    });

    expect(response).toMatchObject({
      matched: 6n,
      updated: 5n,
      skippedPrecondition: 1n,
      unchanged: 0n,
      eventsWritten: 5n,
      rangesCommitted: 1,
    });
    expect(response.consistencyToken).toMatch(/^ct1\.\d+$/);
    const projected = await waitFor(
      async () => {
        const { rows } = await readDb.query<{
          task_id: string;
          execution_date: Date | null;
          version: string;
        }>("SELECT task_id, execution_date, version FROM read_tasks WHERE category = $1 ORDER BY task_id", [
          category1,
        ]);
        const dated = rows.filter((row) => row.execution_date?.getTime() === executionDate.getTime());
        return dated.length === 5 ? rows : undefined;
      },
      { timeoutMs: 30_000, description: "the bulk update's five dates in read_tasks" },
    );
    const expected = taskIds.map((id, i) => ({ task_id: id, dated: i < 5, version: "2" }));
    expect(
      projected.map((row) => ({
        task_id: row.task_id,
        dated: row.execution_date !== null,
        version: row.version,
      })),
    ).toEqual(expected.sort((a, b) => (a.task_id < b.task_id ? -1 : 1)));
  });

  it("splits into key ranges, and a failing range reports what stayed committed", async () => {
    await writeDb.query(`
      CREATE OR REPLACE FUNCTION e2e_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'refused by test trigger'; END $$`);
    const sorted = [...taskIds.slice(0, 5)].sort();
    await writeDb.query(
      `CREATE TRIGGER e2e_refuse BEFORE UPDATE ON tasks FOR EACH ROW WHEN (OLD.id = '${sorted[4]}') EXECUTE FUNCTION e2e_refuse()`,
    );
    try {
      const error = await failure(bulk({ operation: setDate, filter: category(category1), rangeSize: 2 }));
      expect(error.code).toBe(status.INTERNAL);
      expect(message(error)).toContain(
        "bulk update stopped after 2 committed range(s) (4 aggregate(s) updated, 4 event(s) written)",
      );
      expect(error.metadata.get("x-conveyor-bulk-ranges-committed")).toEqual(["2"]);
      expect(error.metadata.get("x-conveyor-bulk-updated")).toEqual(["4"]);
      expect(await datedTasks()).toBe(4);
    } finally {
      await writeDb.query("DROP TRIGGER e2e_refuse ON tasks");
    }
    const retried = await bulk({ operation: setDate, filter: category(category1), rangeSize: 2 });
    expect(retried).toMatchObject({
      updated: 1n,
      unchanged: 4n,
      skippedPrecondition: 1n,
      rangesCommitted: 1,
    });
  });

  it("runs key ranges at once when asked, committing what ranges one after another do", async () => {
    const response = await bulk({
      operation: setDate,
      filter: category(category1),
      rangeSize: 2,
      rangeConcurrency: 3,
    });

    expect(response).toMatchObject({
      matched: 6n,
      updated: 5n,
      skippedPrecondition: 1n,
      eventsWritten: 5n,
      rangesCommitted: 3,
    });
    expect(await datedTasks()).toBe(5);
  });
});
