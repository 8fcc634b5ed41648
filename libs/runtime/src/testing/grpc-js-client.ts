import {
  create,
  type DescMethod,
  type DescMethodBiDiStreaming,
  type DescMethodClientStreaming,
  type DescMethodServerStreaming,
  type DescMethodUnary,
  type DescService,
  fromBinary,
  type MessageInitShape,
  type MessageShape,
  toBinary,
} from "@bufbuild/protobuf";
import * as grpc from "@grpc/grpc-js";

/** One method of a `GrpcJsClient`: unary calls return a promise; streams are grpc-js's own call objects. */
export type GrpcJsCall<M extends DescMethod> =
  M extends DescMethodUnary<infer I, infer O>
    ? (
        request: MessageInitShape<I>,
        metadata?: grpc.Metadata,
        options?: grpc.CallOptions,
      ) => Promise<MessageShape<O>>
    : M extends DescMethodServerStreaming<infer I, infer O>
      ? (
          request: MessageInitShape<I>,
          metadata?: grpc.Metadata,
          options?: grpc.CallOptions,
        ) => ServerStream<MessageShape<O>>
      : M extends DescMethodClientStreaming<infer I, infer O>
        ? (
            metadata: grpc.Metadata,
            options: grpc.CallOptions,
            callback: grpc.requestCallback<MessageShape<O>>,
          ) => grpc.ClientWritableStream<MessageInitShape<I>>
        : M extends DescMethodBiDiStreaming<infer I, infer O>
          ? (
              metadata?: grpc.Metadata,
              options?: grpc.CallOptions,
            ) => grpc.ClientDuplexStream<MessageInitShape<I>, MessageShape<O>>
          : never;

/** grpc-js's server stream, typed for `for await`. */
export type ServerStream<T> = grpc.ClientReadableStream<T> & AsyncIterable<T>;

/** A grpc-js client for a protobuf-es service, with one property per method (by its `localName`). */
export type GrpcJsClient<S extends DescService> = { [K in keyof S["method"]]: GrpcJsCall<S["method"][K]> } & {
  /** The underlying grpc-js client, e.g. for `waitForReady`. */
  readonly client: grpc.Client;
  close(): void;
};

type RawCall = (...args: unknown[]) => unknown;

export { bearerClientOptions, bearerMetadata } from "./bearer-token.ts";

/**
 * Creates a real grpc-js client (HTTP/2, gRPC protocol) for `service` at `address` ("host:port"),
 * built with `grpc.makeGenericClientConstructor` and protobuf-es for (de)serialization.
 * Requests may be plain init objects; they are completed with `create`. `channelOptions` go to grpc-js,
 * e.g. `{ "grpc.use_local_subchannel_pool": 1 }` for a connection of the client's own.
 */
export function createGrpcJsClient<S extends DescService>(
  service: S,
  address: string,
  credentials: grpc.ChannelCredentials = grpc.credentials.createInsecure(),
  channelOptions?: grpc.ChannelOptions,
): GrpcJsClient<S> {
  const Client = grpc.makeGenericClientConstructor(serviceDefinition(service), service.typeName);
  const client = new Client(address, credentials, channelOptions);
  const calls = service.methods.map((method) => [method.localName, bindCall(client, method)] as const);
  return { ...Object.fromEntries(calls), client, close: () => client.close() } as GrpcJsClient<S>;
}

/** Reads a stream to its end (rejecting with its error), e.g. a grpc-js server stream. */
export async function collect<T>(stream: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of stream) items.push(item);
  return items;
}

function serviceDefinition(service: DescService): grpc.ServiceDefinition {
  return Object.fromEntries(
    service.methods.map((method) => [method.localName, methodDefinition(service, method)]),
  );
}

function methodDefinition(service: DescService, method: DescMethod): grpc.MethodDefinition<unknown, unknown> {
  const { input, output, methodKind } = method;
  return {
    path: `/${service.typeName}/${method.name}`,
    requestStream: methodKind === "client_streaming" || methodKind === "bidi_streaming",
    responseStream: methodKind === "server_streaming" || methodKind === "bidi_streaming",
    requestSerialize: (init) =>
      Buffer.from(toBinary(input, create(input, init as MessageInitShape<typeof input>))),
    requestDeserialize: (bytes) => fromBinary(input, bytes),
    responseSerialize: (message) => Buffer.from(toBinary(output, message as MessageShape<typeof output>)),
    responseDeserialize: (bytes) => fromBinary(output, bytes),
  };
}

function bindCall(client: grpc.Client, method: DescMethod): RawCall {
  const call = (client as unknown as Record<string, RawCall>)[method.localName]!.bind(client);
  if (method.methodKind !== "unary") return call;
  return (request, metadata = new grpc.Metadata(), options = {}) =>
    new Promise((resolve, reject) => {
      call(request, metadata, options, (error: grpc.ServiceError | null, response: unknown) =>
        error ? reject(error) : resolve(response),
      );
    });
}
