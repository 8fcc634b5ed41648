import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { status as GrpcStatus } from "@grpc/grpc-js";
import { startBatchTestServer, type BatchTestServer } from "./testing/batch-test-server.ts";
import { createTask, createUser, newId, updateUserRoles, type CommandInit } from "./testing/commands.ts";

let server: BatchTestServer;
beforeAll(async () => {
  server = await startBatchTestServer("batch_limits", {
    maxCommands: 6,
    maxAggregates: 3,
    maxRequestBytes: 1500,
  });
});
afterAll(() => server.stop());

const nothingWritten = async () => {
  const [row] = await server.rows<{ tasks: string; users: string; claims: string; audit: string }>(
    `SELECT (SELECT count(*) FROM tasks) AS tasks, (SELECT count(*) FROM users) AS users,
       (SELECT count(*) FROM batch_requests) AS claims, (SELECT count(*) FROM batch_audit) AS audit`,
  );
  expect(row).toEqual({ tasks: "0", users: "0", claims: "0", audit: "0" });
};

describe("batch limits", () => {
  const user = newId();
  const cases: [string, CommandInit[], RegExp][] = [
    ["too many commands", Array.from({ length: 7 }, () => updateUserRoles(user, ["r"])), /max_commands/],
    ["too many aggregates", Array.from({ length: 4 }, () => createTask(newId())), /max_aggregates/],
    [
      "too many bytes",
      [
        createUser(user),
        updateUserRoles(
          user,
          Array.from({ length: 30 }, (_, i) => `role-${i}-${"x".repeat(40)}`),
        ),
      ],
      /max_request_bytes/,
    ],
  ];
  it.each(cases)(
    "refuses %s with RESOURCE_EXHAUSTED before anything runs",
    async (_case, commands, limit) => {
      const call = server.client.batchExecute({ requestId: newId(), commands });
      await expect(call).rejects.toMatchObject({
        code: GrpcStatus.RESOURCE_EXHAUSTED,
        details: expect.stringMatching(limit) as string,
      });
      await nothingWritten();
    },
  );

  it("accepts a batch exactly at the limits", async () => {
    const users = [newId(), newId(), newId()];
    const commands = users.flatMap((id) => [createUser(id), updateUserRoles(id, ["r"])]);
    const response = await server.client.batchExecute({ requestId: newId(), commands });
    expect(response.success).toBe(true);
  });
});
