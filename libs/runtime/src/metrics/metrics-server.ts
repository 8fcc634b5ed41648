import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Registry } from "prom-client";
import type { Logger } from "../logger.ts";

/** An HTTP server answering `GET /metrics` in the Prometheus text format. */
export interface MetricsServer {
  /** The port listened on (the free one picked when asked for 0). */
  port: number;
  close(): Promise<void>;
}

/**
 * Serves `registry` on http://host:port/metrics (port 0 picks a free one) and logs "metrics listening"
 * with the port. Other paths get 404.
 */
export async function startMetricsServer(options: {
  host: string;
  port: number;
  registry: Registry;
  logger: Logger;
}): Promise<MetricsServer> {
  const { registry, logger } = options;
  const server = createServer((request, response) => {
    const path = (request.url ?? "").split("?")[0];
    if (path !== "/metrics" || (request.method !== "GET" && request.method !== "HEAD")) {
      response.writeHead(404, { "content-type": "text/plain" }).end("not found: try GET /metrics\n");
      return;
    }
    registry.metrics().then(
      (text) => response.writeHead(200, { "content-type": registry.contentType }).end(text),
      (error: unknown) => {
        logger.warn({ err: error }, "collecting metrics failed");
        response.writeHead(500, { "content-type": "text/plain" }).end("collecting metrics failed\n");
      },
    );
  });
  const port = await listen(server, options.host, options.port);
  logger.info({ metricsPort: port, host: options.host, path: "/metrics" }, "metrics listening");
  return { port, close: () => close(server) };
}

function listen(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function close(server: Server): Promise<void> {
  const closed = new Promise<void>((resolve, reject) =>
    server.close((error) => (error ? reject(error) : resolve())),
  );
  server.closeAllConnections(); // a scraper's keep-alive connection must not hold the shutdown
  return closed;
}
