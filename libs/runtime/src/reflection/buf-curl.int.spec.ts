import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { GrpcServer } from "../server/start-grpc-server.ts";
import { startStubServer, stubUser } from "../testing/stub-app.ts";

const buf = fileURLToPath(new URL("../../../../node_modules/.bin/buf", import.meta.url));
const run = promisify(execFile);

let server: GrpcServer;
let baseUrl: string;
beforeAll(async () => {
  server = await startStubServer();
  baseUrl = `http://127.0.0.1:${server.port}`;
});
afterAll(() => server.close());

/** Runs `buf curl` over gRPC with HTTP/2 prior knowledge, learning the schema from server reflection. */
async function bufCurl(reflectProtocol: string, ...args: string[]): Promise<string> {
  const { stdout } = await run(buf, [
    "curl",
    "--protocol",
    "grpc",
    "--http2-prior-knowledge",
    "--reflect-protocol",
    reflectProtocol,
    ...args,
  ]);
  return stdout;
}

describe.each(["grpc-v1", "grpc-v1alpha"])("buf curl with reflection protocol %s", (reflectProtocol) => {
  it("lists QueryService's methods", async () => {
    const methods = (await bufCurl(reflectProtocol, "--list-methods", baseUrl)).trim().split("\n");
    expect(methods).toEqual(
      expect.arrayContaining([
        "conveyor.query.v1.QueryService/ExportOrders",
        "conveyor.query.v1.QueryService/ExportTasks",
        "conveyor.query.v1.QueryService/ExportUsers",
      ]),
    );
  });

  it("calls a server-streaming method and prints its JSON", async () => {
    const stdout = await bufCurl(
      reflectProtocol,
      "-d",
      '{"options":{"chunkSize":10}}',
      `${baseUrl}/conveyor.query.v1.QueryService/ExportUsers`,
    );
    expect(JSON.parse(stdout)).toEqual({
      rows: [stubUser],
      progress: { cursor: "after-1", rowsSoFar: "1", done: true },
    });
  });
});
