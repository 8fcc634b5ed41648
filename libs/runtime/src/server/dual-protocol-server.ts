import net from "node:net";
import tls from "node:tls";
import { createHttp1Server } from "./http1-server.ts";
import { createHttp2Server } from "./http2-server.ts";
import type { NodeHandler } from "./node-handler.ts";
import { sniffProtocol } from "./protocol-sniffer.ts";

/** A TCP server that serves `handler` over HTTP/2 cleartext (prior knowledge) and HTTP/1.1. */
export interface DualProtocolServer {
  listen(host: string, port: number): Promise<number>;
  /** Stops accepting, lets open requests finish for up to `graceMs`, then destroys what is left. */
  close(graceMs: number): Promise<void>;
}

export interface DualProtocolOptions {
  /** Streams one HTTP/2 connection may have open at once. */
  maxConcurrentStreams: number;
  /** When set, connections speak TLS, and ALPN (h2 or http/1.1) picks the server. */
  tls?: tls.TlsOptions;
}

/**
 * One port for gRPC, gRPC-Web and Connect (HTTP/2 or HTTP/1.1). In cleartext the first bytes pick
 * the server (h2c with prior knowledge, else HTTP/1.1); over TLS the ALPN protocol does (no ALPN:
 * HTTP/1.1, as node:http2 refuses such sockets).
 */
export function createDualProtocolServer(
  handler: NodeHandler,
  options: DualProtocolOptions,
): DualProtocolServer {
  const sockets = new Set<net.Socket>();
  const sniffing = new Set<net.Socket>();
  const servers = {
    h2: createHttp2Server(handler, { maxConcurrentStreams: options.maxConcurrentStreams }),
    http1: createHttp1Server(handler),
  };
  const route = (socket: net.Socket) => {
    sockets.add(socket);
    socket.once("close", () => {
      sockets.delete(socket);
      sniffing.delete(socket);
    });
    if (socket instanceof tls.TLSSocket)
      return servers[socket.alpnProtocol === "h2" ? "h2" : "http1"].accept(socket);
    sniffing.add(socket);
    sniffProtocol(socket, (protocol) => {
      sniffing.delete(socket);
      servers[protocol].accept(socket);
    });
  };
  const tcpServer = options.tls
    ? tls.createServer({ ...options.tls, noDelay: true }, route)
    : net.createServer({ noDelay: true }, route);
  return {
    listen: (host, port) => listen(tcpServer, host, port),
    async close(graceMs) {
      tcpServer.close();
      sniffing.forEach((socket) => socket.destroy());
      servers.h2.drain();
      servers.http1.drain();
      const deadline = setTimeout(() => sockets.forEach((socket) => socket.destroy()), graceMs);
      await allClosed(sockets);
      clearTimeout(deadline);
    },
  };
}

function listen(server: net.Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject).listen(port, host, () => {
      server.off("error", reject);
      resolve((server.address() as net.AddressInfo).port);
    });
  });
}

async function allClosed(sockets: ReadonlySet<net.Socket>): Promise<void> {
  await Promise.all([...sockets].map((socket) => new Promise((resolve) => socket.once("close", resolve))));
}
