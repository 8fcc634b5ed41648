import net from "node:net";
import type { ISocketFactory } from "kafkajs";

/**
 * A kafkajs socket factory whose connections fail while `isUp()` is false: the broker stays up for
 * everyone else while this client sees an outage. A cut also drops the connections already open.
 */
export function cuttableSocketFactory(isUp: () => boolean): ISocketFactory {
  const open = new Set<net.Socket>();
  const watcher = setInterval(() => {
    if (!isUp()) for (const socket of open) socket.destroy(new Error("network cut by the test"));
  }, 20);
  watcher.unref();
  return ({ host, port, onConnect }) => {
    if (!isUp()) {
      const refused = new net.Socket();
      setImmediate(() => refused.destroy(new Error("network cut by the test")));
      return refused;
    }
    const socket = net.connect({ host, port }, onConnect);
    open.add(socket);
    socket.once("close", () => open.delete(socket));
    return socket;
  };
}
