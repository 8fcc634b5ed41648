import http2 from "node:http2";
import type { Socket } from "node:net";
import type { NodeHandler } from "./node-handler.ts";

/** HTTP/2 cleartext for sockets accepted elsewhere. */
export interface Http2Server {
  /** Serves a socket whose first bytes have been read and put back. */
  accept(socket: Socket): void;
  /** Sends GOAWAY on every session; each closes once its open streams are done. */
  drain(): void;
}

/**
 * Once a response is sent, a request the handler stopped reading (e.g. one over readMaxBytes) is
 * reset, so the client stops sending and the stream does not stay open until the connection dies.
 */
export function createHttp2Server(
  handler: NodeHandler,
  settings: { maxConcurrentStreams: number },
): Http2Server {
  const sessions = new Set<http2.ServerHttp2Session>();
  const server = http2.createServer({ settings }, (request, response) => {
    request.stream.once("wantTrailers", () => setImmediate(() => resetIfUnread(request)));
    handler(request, response);
  });
  server.on("session", (session) => {
    sessions.add(session);
    session.once("close", () => sessions.delete(session));
  });
  return {
    accept: (socket) => server.emit("connection", socket),
    drain: () => sessions.forEach((session) => session.close()),
  };
}

/**
 * The compat response always asks for trailers and submits them in a setImmediate queued before
 * ours, and Node flushes pending frames before a reset, so the client still gets the whole response.
 * CANCEL rather than the politer NO_ERROR: Node 20 leaves a NO_ERROR reset unsent in this state.
 */
function resetIfUnread(request: http2.Http2ServerRequest): void {
  if (!request.complete && !request.stream.closed) request.stream.close(http2.constants.NGHTTP2_CANCEL);
}
