import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { v7 as uuidv7 } from "uuid";
import { CommandService } from "@conveyor/proto/conveyor/command/v1/command_service_pb";
import { QueryService } from "@conveyor/proto/conveyor/query/v1/query_service_pb";
import type { UserRow } from "@conveyor/proto/conveyor/query/v1/exports_pb";
import { UserStatus } from "@conveyor/proto/conveyor/types/v1/types_pb";
import { collect, createGrpcJsClient } from "@conveyor/runtime/testing";
import { startStack, type Stack } from "../harness/stack.ts";
import { waitFor } from "../harness/wait-for.ts";

describe("a command flows from BatchExecute to ExportUsers", () => {
  let stack: Stack;
  let commands: ReturnType<typeof createGrpcJsClient<typeof CommandService>>;
  let queries: ReturnType<typeof createGrpcJsClient<typeof QueryService>>;

  beforeAll(async () => {
    stack = await startStack("walking-skeleton");
    commands = createGrpcJsClient(
      CommandService,
      `127.0.0.1:${stack.commandPort}`,
      undefined,
      stack.grpcJsOptions,
    );
    queries = createGrpcJsClient(
      QueryService,
      `127.0.0.1:${stack.queryPort}`,
      undefined,
      stack.grpcJsOptions,
    );
  });

  afterAll(async () => {
    commands?.close();
    queries?.close();
    await stack?.stop();
  });

  async function exportedUser(id: string): Promise<UserRow | undefined> {
    const chunks = await collect(queries.exportUsers({}));
    return chunks.flatMap((chunk) => chunk.rows).find((row) => row.userId === id);
  }

  it("creates a user and then changes its email; the export shows the latest state", async () => {
    const id = uuidv7();
    const created = await commands.batchExecute({
      requestId: uuidv7(),
      commands: [
        {
          aggregateId: id,
          expectedVersion: 0n,
          command: {
            case: "createUser",
            value: { email: "Ada@Example.com", firstName: "Ada", lastName: "Lovelace", roles: ["admin"] },
          },
        },
      ],
    });
    expect(created.success).toBe(true);
    expect(created.results[0]).toMatchObject({ aggregateId: id, success: true, version: 1n });

    const first = await waitFor(() => exportedUser(id), { description: `user ${id} in the export` });
    expect(first).toMatchObject({ email: "ada@example.com", firstName: "Ada", status: UserStatus.PENDING });

    const changed = await commands.batchExecute({
      requestId: uuidv7(),
      commands: [
        {
          aggregateId: id,
          expectedVersion: 1n,
          command: { case: "updateUserEmail", value: { email: "ada@analytical.engine" } },
        },
      ],
    });
    expect(changed.results[0]).toMatchObject({ success: true, version: 2n });
    const updated = await waitFor(
      async () => ((await exportedUser(id))?.email === "ada@analytical.engine" ? true : undefined),
      { description: "the email change in the export" },
    );
    expect(updated).toBe(true);
  });
});
