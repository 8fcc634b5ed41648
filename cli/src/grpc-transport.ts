import type { Http2Session } from "node:http2";
import type { Interceptor, Transport } from "@connectrpc/connect";
import { createGrpcTransport, Http2SessionManager } from "@connectrpc/connect-node";

export interface GrpcTransportOptions {
  /**
   * The HTTP/2 receive window in bytes, per stream and per connection; Node's default is 64 KiB.
   * Raise it for calls that receive a lot (exports): see `WideWindowSessions`.
   */
  receiveWindowBytes?: number;
}

/** A gRPC (HTTP/2) transport to `url` that sends `authorization: Bearer <token>` on every call when given one. */
export function grpcTransport(
  url: string,
  token: string | undefined,
  { receiveWindowBytes }: GrpcTransportOptions = {},
): Transport {
  const interceptors: Interceptor[] = token
    ? [
        (next) => (request) => {
          request.header.set("authorization", `Bearer ${token}`);
          return next(request);
        },
      ]
    : [];
  const sessionManager = receiveWindowBytes ? new WideWindowSessions(url, receiveWindowBytes) : undefined;
  return createGrpcTransport({ baseUrl: url, interceptors, ...(sessionManager && { sessionManager }) });
}

/**
 * HTTP/2 connections with a receive window of `windowBytes`: the stream window through SETTINGS, the
 * connection window through a WINDOW_UPDATE when a connection carries its first call (Node has no
 * option for it). With Node's 64 KiB the server may send about one default-sized export message per round
 * trip of WINDOW_UPDATE, so a download waits on this process's scheduling rather than on its own work; bulk
 * clients use MiBs (grpc-go and grpc-java grow theirs to several MiB by bandwidth-delay estimation).
 */
export class WideWindowSessions extends Http2SessionManager {
  private readonly widened = new WeakSet<Http2Session>();

  constructor(
    url: string,
    private readonly windowBytes: number,
  ) {
    super(url, undefined, { settings: { initialWindowSize: windowBytes } });
  }

  override async request(...args: Parameters<Http2SessionManager["request"]>) {
    const stream = await super.request(...args);
    const session = stream.session;
    if (session && !this.widened.has(session)) {
      session.setLocalWindowSize(this.windowBytes);
      this.widened.add(session);
    }
    return stream;
  }
}
