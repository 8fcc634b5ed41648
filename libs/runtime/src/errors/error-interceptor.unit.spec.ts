import { Code, ConnectError, createClient, createRouterTransport } from "@connectrpc/connect";
import { CommandService } from "@conveyor/proto/conveyor/command/v1/command_service_pb";
import { QueryService } from "@conveyor/proto/conveyor/query/v1/query_service_pb";
import { LimitExceeded, NotFoundError } from "@conveyor/errors";
import { describe, expect, it } from "vitest";
import { createLogger } from "../logger.ts";
import { createErrorInterceptor } from "./error-interceptor.ts";

const transport = createRouterTransport(
  (router) =>
    router
      .service(CommandService, {
        bulkUpdate() {
          throw new NotFoundError("no such task");
        },
      })
      .service(QueryService, {
        async *exportUsers() {
          yield* oneChunk();
          throw new LimitExceeded("export_rows", "the export is too large");
        },
      }),
  { router: { interceptors: [createErrorInterceptor(createLogger("spec", { LOG_LEVEL: "silent" }))] } },
);

describe("createErrorInterceptor", () => {
  it("maps what a unary handler throws", async () => {
    const error = await createClient(CommandService, transport)
      .bulkUpdate({})
      .then(
        () => undefined,
        (err) => ConnectError.from(err),
      );
    expect(error?.code).toBe(Code.NotFound);
    expect(error?.rawMessage).toBe("no such task");
  });

  it("maps what a streaming handler throws after it has sent messages", async () => {
    const received: string[] = [];
    const read = async () => {
      for await (const chunk of createClient(QueryService, transport).exportUsers({}))
        received.push(chunk.rows[0]?.userId ?? "");
    };
    const error = await read().catch((err) => ConnectError.from(err));
    expect(received).toEqual(["u-1"]);
    expect(error?.code).toBe(Code.ResourceExhausted);
    expect(error?.rawMessage).toContain("export_rows");
  });
});

async function* oneChunk() {
  yield await Promise.resolve({ rows: [{ userId: "u-1" }] });
}
