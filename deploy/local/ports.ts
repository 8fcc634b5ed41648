import { createServer, type AddressInfo } from "node:net";

/** Fails with a message naming the service and the way out when something already listens on host:port. */
export async function assertPortFree(
  host: string,
  port: number,
  service: string,
  hint: string,
): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const server = createServer();
    server.once("error", (error: NodeJS.ErrnoException) =>
      reject(
        error.code === "EADDRINUSE"
          ? new Error(`${service}: ${host}:${port} is already in use; ${hint}`)
          : error,
      ),
    );
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve()));
  });
}

/** A port that nothing listens on at the moment, picked by the OS. */
export async function freePort(host = "127.0.0.1"): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) =>
    server.once("error", reject).listen({ host, port: 0 }, resolve),
  );
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
