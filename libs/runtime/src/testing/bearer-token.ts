import * as grpc from "@grpc/grpc-js";

/** `authorization: Bearer <token>` as grpc-js metadata, for one call. */
export function bearerMetadata(token: string): grpc.Metadata {
  const metadata = new grpc.Metadata();
  metadata.set("authorization", `Bearer ${token}`);
  return metadata;
}

/** grpc-js client options that send `authorization: Bearer <token>` on every call of the client. */
export function bearerClientOptions(token: string): grpc.ClientOptions {
  const addToken: grpc.Interceptor = (options, nextCall) =>
    new grpc.InterceptingCall(nextCall(options), {
      start(metadata, listener, next) {
        if (!metadata.get("authorization").length) metadata.set("authorization", `Bearer ${token}`);
        next(metadata, listener);
      },
    });
  return { interceptors: [addToken] };
}
