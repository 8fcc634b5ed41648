import { CommandService } from "@conveyor/proto/conveyor/command/v1/command_service_pb";
import { createLogger, databaseLimitLabels, type GrpcServer, startGrpcServer } from "@conveyor/runtime";
import { createGrpcJsClient } from "@conveyor/runtime/testing";
import * as grpc from "@grpc/grpc-js";
import pg from "pg";
import type { DataSource } from "typeorm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestDatabase } from "../../../test/harness/databases.ts";
import { createWriteDatabase } from "../../../test/harness/migrated-databases.ts";
import { openWriteDatabase } from "./write-database.ts";

// The lock timeout is the shorter one, so a lock wait ends by it and not by the statement timeout.
const limits = { statementTimeoutMs: 1_000, lockTimeoutMs: 300, idleInTransactionTimeoutMs: 5_000 };

let database: TestDatabase;
let dataSource: DataSource;
let server: GrpcServer;
let commands: ReturnType<typeof createGrpcJsClient<typeof CommandService>>;
beforeAll(async () => {
  database = await createWriteDatabase("write-limits");
  dataSource = await openWriteDatabase(database.url, 2, limits);
  // A test-only route: BulkUpdate runs the SQL its request id names, on the write pool.
  const statements: Record<string, string> = {
    sleep: "SELECT pg_sleep(30)",
    locked: "SELECT count(*) FROM tasks",
  };
  server = await startGrpcServer({
    host: "127.0.0.1",
    port: 0,
    services: [CommandService],
    logger: createLogger("write-limits-spec", { LOG_LEVEL: "fatal" }),
    databaseLimits: databaseLimitLabels(limits),
    routes: (router) =>
      router.service(CommandService, {
        async bulkUpdate(request) {
          await dataSource.query(statements[request.requestId] ?? "SELECT 1");
          return { requestId: request.requestId };
        },
      }),
  });
  commands = createGrpcJsClient(CommandService, `127.0.0.1:${server.port}`);
});
afterAll(async () => {
  commands?.close();
  await server?.close();
  await dataSource?.destroy();
  await database?.drop();
});

const failure = (call: Promise<unknown>) =>
  call.then(
    () => undefined,
    (err: grpc.ServiceError) => err,
  );

describe("the write pool's session timeouts", () => {
  it("are set on every connection", async () => {
    const shown = await Promise.all(
      ["statement_timeout", "lock_timeout", "idle_in_transaction_session_timeout"].map(
        async (setting) =>
          (await dataSource.query<Array<Record<string, string>>>(`SHOW ${setting}`))[0]![setting],
      ),
    );
    expect(shown).toEqual(["1s", "300ms", "5s"]);
  });

  it("stop a statement past DB_STATEMENT_TIMEOUT_MS: DEADLINE_EXCEEDED naming the limit", async () => {
    const error = await failure(commands.bulkUpdate({ requestId: "sleep" }));
    expect(error?.code).toBe(grpc.status.DEADLINE_EXCEEDED);
    expect(decodeURIComponent(error?.details ?? "")).toContain("DB_STATEMENT_TIMEOUT_MS=1000");
  });

  it("stop a wait for a lock the test holds past DB_LOCK_TIMEOUT_MS: UNAVAILABLE naming the limit", async () => {
    const holder = new pg.Client({ connectionString: database.url });
    await holder.connect();
    try {
      await holder.query("BEGIN");
      await holder.query("LOCK TABLE tasks IN ACCESS EXCLUSIVE MODE");
      const error = await failure(commands.bulkUpdate({ requestId: "locked" }));
      expect(error?.code).toBe(grpc.status.UNAVAILABLE);
      expect(decodeURIComponent(error?.details ?? "")).toContain("DB_LOCK_TIMEOUT_MS=300");
      await holder.query("ROLLBACK");
      expect(await commands.bulkUpdate({ requestId: "locked" })).toMatchObject({ requestId: "locked" });
    } finally {
      await holder.end();
    }
  });
});
