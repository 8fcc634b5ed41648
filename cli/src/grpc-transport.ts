import type { Interceptor, Transport } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";

/** A gRPC (HTTP/2) transport to `url` that sends `authorization: Bearer <token>` on every call when given one. */
export function grpcTransport(url: string, token: string | undefined): Transport {
  const interceptors: Interceptor[] = token
    ? [
        (next) => (request) => {
          request.header.set("authorization", `Bearer ${token}`);
          return next(request);
        },
      ]
    : [];
  return createGrpcTransport({ baseUrl: url, interceptors });
}
