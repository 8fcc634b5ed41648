import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { status as GrpcStatus, type ServiceError } from "@grpc/grpc-js";
import { TransactionMode } from "@conveyor/proto/conveyor/command/v1/batch_pb";
import { decodeConsistencyToken } from "@conveyor/messaging";
import { collect } from "@conveyor/runtime/testing";
import { startBatchTestServer, type BatchTestServer } from "./testing/batch-test-server.ts";
import { completeTask, createTask, createUser, newId } from "./testing/commands.ts";

let server: BatchTestServer;
beforeAll(async () => {
  server = await startBatchTestServer("batch_replay");
});
afterAll(() => server.stop());

const count = async (sql: string, value: string) =>
  (await server.rows<{ count: string }>(`SELECT count(*) FROM ${sql}`, [value]))[0]?.count;

describe("replay protection", () => {
  it("returns the stored response for a retried request id without executing again", async () => {
    const [task, missing] = [newId(), newId()];
    const request = {
      requestId: newId(),
      commands: [createTask(task), completeTask(task), completeTask(missing)],
    };
    const first = await server.client.batchExecute(request);
    const retried = await server.client.batchExecute(request);

    expect(first.replayed).toBe(false);
    expect(retried).toEqual({ ...first, replayed: true });
    expect(await count("outbox WHERE correlation_id = $1", request.requestId)).toBe("2");
    expect(await count("batch_audit WHERE batch_id = $1", request.requestId)).toBe("1");
  });

  it("returns, and replays, a consistency token above every transaction that wrote the batch", async () => {
    const [task, user] = [newId(), newId()];
    const request = { requestId: newId(), commands: [createTask(task), createUser(user)] };
    const first = await server.client.batchExecute(request);
    const retried = await server.client.batchExecute(request);

    const horizon = decodeConsistencyToken(first.consistencyToken);
    const writers = await server.rows<{ xid: string }>(
      `SELECT xmin::text AS xid FROM tasks WHERE id = $1
       UNION ALL SELECT xmin::text FROM users WHERE id = $2
       UNION ALL SELECT xmin::text FROM outbox WHERE correlation_id = $3`,
      [task, user, request.requestId],
    );
    expect(writers).toHaveLength(4);
    for (const { xid } of writers) expect(BigInt(xid)).toBeLessThan(horizon);
    expect(retried.consistencyToken).toBe(first.consistencyToken);
  });

  it("replays over the stream too: the stored results, then a summary marked replayed", async () => {
    const request = { requestId: newId(), commands: [createTask(newId()), createTask(newId())] };
    const first = await server.client.batchExecute(request);
    const messages = await collect(server.client.batchExecuteStream(request));
    expect(messages.map((m) => m.message.case)).toEqual(["result", "result", "summary"]);
    expect(messages.slice(0, 2).map((m) => m.message.value)).toEqual(first.results);
    expect(messages[2]?.message.value).toMatchObject({
      replayed: true,
      success: true,
      succeededAggregates: 2,
    });
  });

  it("refuses the same request id with a different payload with ALREADY_EXISTS, executing nothing", async () => {
    const requestId = newId();
    await server.client.batchExecute({ requestId, commands: [createTask(newId())] });
    const other = newId();
    const differentCommands = server.client.batchExecute({ requestId, commands: [createTask(other)] });
    await expect(differentCommands).rejects.toMatchObject({ code: GrpcStatus.ALREADY_EXISTS });
    const differentOptions = server.client.batchExecute({
      requestId,
      commands: [createTask(other)],
      options: { transactionMode: TransactionMode.ALL_OR_NOTHING },
    });
    await expect(differentOptions).rejects.toMatchObject({
      code: GrpcStatus.ALREADY_EXISTS,
    } satisfies Partial<ServiceError>);
    expect(await count("tasks WHERE id = $1", other)).toBe("0");
  });

  it("does not claim a request id that failed validation, so the corrected request can use it", async () => {
    const requestId = newId();
    const invalid = server.client.batchExecute({ requestId, commands: [{ aggregateId: "not-a-uuid" }] });
    await expect(invalid).rejects.toMatchObject({ code: GrpcStatus.INVALID_ARGUMENT });
    const corrected = await server.client.batchExecute({ requestId, commands: [createTask(newId())] });
    expect(corrected).toMatchObject({ success: true, replayed: false });
  });
});
