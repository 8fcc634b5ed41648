import { once } from "node:events";
import { createServer, type Http2Server, type ServerHttp2Stream } from "node:http2";
import type { AddressInfo } from "node:net";
import { createClient } from "@connectrpc/connect";
import { QueryService } from "@conveyor/proto/conveyor/query/v1/query_service_pb";
import { afterEach, describe, expect, it } from "vitest";
import { grpcTransport } from "../grpc-transport.ts";
import { EXPORT_RECEIVE_WINDOW_BYTES, queryClient } from "./export-calls.ts";

/** What the server sees of a client's receive windows once the client's first call has arrived. */
interface SeenWindows {
  /** The client's SETTINGS_INITIAL_WINDOW_SIZE: what the server may send on each stream. */
  stream: number | undefined;
  /** What the server may send on the connection before the client's next WINDOW_UPDATE. */
  connection: number | undefined;
}

let server: Http2Server | undefined;
afterEach(() => {
  server?.close();
  server = undefined;
});

/** An HTTP/2 server that answers every call UNIMPLEMENTED and reports the windows of the first caller. */
async function windowProbe(): Promise<{ url: string; seen: Promise<SeenWindows> }> {
  const http2 = createServer();
  server = http2;
  let report: (windows: SeenWindows) => void = () => undefined;
  const seen = new Promise<SeenWindows>((resolve) => (report = resolve));
  http2.on("stream", (stream: ServerHttp2Stream) => {
    stream.resume();
    // The client's WINDOW_UPDATE goes out before its request body, so it has arrived by the body's end.
    stream.once("end", () => {
      report({
        stream: stream.session?.remoteSettings.initialWindowSize,
        connection: stream.session?.state.remoteWindowSize,
      });
      stream.respond(
        { ":status": 200, "content-type": "application/grpc", "grpc-status": "12" },
        { endStream: true },
      );
    });
  });
  http2.listen(0, "127.0.0.1");
  await once(http2, "listening");
  return { url: `http://127.0.0.1:${(http2.address() as AddressInfo).port}`, seen };
}

const anyCall = (client: ReturnType<typeof queryClient>) =>
  client.planParallelExport({ parts: 2 }).catch(() => undefined);

describe("the export client's HTTP/2 receive window", () => {
  it("is EXPORT_RECEIVE_WINDOW_BYTES per stream and per connection", async () => {
    const { url, seen } = await windowProbe();
    await anyCall(queryClient(url));
    expect(EXPORT_RECEIVE_WINDOW_BYTES).toBe(4 * 1024 * 1024);
    expect(await seen).toEqual({
      stream: EXPORT_RECEIVE_WINDOW_BYTES,
      connection: EXPORT_RECEIVE_WINDOW_BYTES,
    });
  });

  it("stays Node's 64 KiB for a transport that does not ask for more", async () => {
    const { url, seen } = await windowProbe();
    await anyCall(createClient(QueryService, grpcTransport(url, undefined)));
    expect(await seen).toEqual({ stream: 65_535, connection: 65_535 });
  });
});
