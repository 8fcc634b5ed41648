import http from "node:http";
import type { Socket } from "node:net";
import type { NodeHandler } from "./node-handler.ts";

/** HTTP/1.1 for sockets accepted elsewhere, closable without waiting for idle keep-alive connections. */
export interface Http1Server {
  /** Serves a socket whose first bytes have been read and put back (paused, as the sniffer leaves it). */
  accept(socket: Socket): void;
  /** Ends idle connections now and every other one as soon as its response is done. */
  drain(): void;
}

/**
 * Node tracks idle connections (`closeIdleConnections`) only for servers that listen themselves,
 * so this one keeps its own set of sockets with no response in flight.
 */
export function createHttp1Server(handler: NodeHandler): Http1Server {
  const idle = new Set<Socket>();
  let draining = false;
  const server = http.createServer((request, response) => {
    const socket = request.socket;
    idle.delete(socket);
    if (draining) response.setHeader("connection", "close");
    response.once("close", () => (draining ? socket.end() : markIdle(socket)));
    handler(request, response);
  });
  const markIdle = (socket: Socket) => {
    if (socket.destroyed) return;
    idle.add(socket);
    socket.once("close", () => idle.delete(socket));
  };
  return {
    accept(socket) {
      markIdle(socket);
      server.emit("connection", socket);
      socket.resume();
    },
    drain() {
      draining = true;
      idle.forEach((socket) => socket.end());
    },
  };
}
