import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient, createRouterTransport, type Interceptor } from "@connectrpc/connect";
import { CommandService } from "@conveyor/proto/conveyor/command/v1/command_service_pb";
import { commandRoutes } from "./command-routes.ts";
import { principalKey } from "./principal.ts";
import { startBatchTestServer, type BatchTestServer } from "./testing/batch-test-server.ts";
import { createTask, newId } from "./testing/commands.ts";

let server: BatchTestServer;
beforeAll(async () => {
  server = await startBatchTestServer("batch_principal");
});
afterAll(() => server.stop());

describe("the audited principal", () => {
  it("is whatever an interceptor put in the handler context under principalKey", async () => {
    const authenticate: Interceptor = (next) => (request) => {
      request.contextValues.set(principalKey, "alice@example.com");
      return next(request);
    };
    const transport = createRouterTransport(commandRoutes({ dataSource: server.dataSource }), {
      router: { interceptors: [authenticate] },
    });
    const response = await createClient(CommandService, transport).batchExecute({
      requestId: newId(),
      commands: [createTask(newId())],
    });
    const audit = await server.rows("SELECT principal FROM batch_audit WHERE batch_id = $1", [
      response.requestId,
    ]);
    expect(audit).toEqual([{ principal: "alice@example.com" }]);
  });
});
