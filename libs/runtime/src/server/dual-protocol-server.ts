import net from "node:net";
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

/** One port for gRPC (h2c), gRPC-Web and Connect (HTTP/1.1 or h2c): the first bytes pick the server. */
export function createDualProtocolServer(handler: NodeHandler): DualProtocolServer {
  const sockets = new Set<net.Socket>();
  const sniffing = new Set<net.Socket>();
  const servers = { h2: createHttp2Server(handler), http1: createHttp1Server(handler) };
  const tcpServer = net.createServer({ noDelay: true }, (socket) => {
    sockets.add(socket);
    sniffing.add(socket);
    socket.once("close", () => {
      sockets.delete(socket);
      sniffing.delete(socket);
    });
    sniffProtocol(socket, (protocol) => {
      sniffing.delete(socket);
      servers[protocol].accept(socket);
    });
  });
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
