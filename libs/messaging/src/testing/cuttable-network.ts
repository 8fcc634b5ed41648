import net from "node:net";
import type { ISocketFactory } from "kafkajs";

export interface CuttableNetwork {
  socketFactory: ISocketFactory;
  /** Drops every open connection at once and refuses new ones until `restore()`. */
  cut(): void;
  restore(): void;
}

/**
 * A kafkajs socket factory whose connections can be cut: the broker stays up for everyone else while
 * this client sees an outage. The cut is immediate, so no send can slip through on an open connection.
 */
export function cuttableNetwork(): CuttableNetwork {
  const open = new Set<net.Socket>();
  let up = true;
  const socketFactory: ISocketFactory = ({ host, port, onConnect }) => {
    if (!up) {
      const refused = new net.Socket();
      setImmediate(() => refused.destroy(new Error("network cut by the test")));
      return refused;
    }
    const socket = net.connect({ host, port }, onConnect);
    open.add(socket);
    socket.once("close", () => open.delete(socket));
    return socket;
  };
  return {
    socketFactory,
    cut() {
      up = false;
      for (const socket of open) socket.destroy(new Error("network cut by the test"));
    },
    restore() {
      up = true;
    },
  };
}
