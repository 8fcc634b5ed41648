import type { DescMethod, DescService } from "@bufbuild/protobuf";
import { ConnectError, createClient, type Transport } from "@connectrpc/connect";
import { createConnectTransport, createGrpcWebTransport } from "@connectrpc/connect-node";
import { collect, createGrpcJsClient } from "@conveyor/runtime/testing";
import * as grpc from "@grpc/grpc-js";

/** Calls one method with an empty request and the given headers; resolves to the status code (0: OK). */
export type CallMethod = (method: DescMethod, headers: Record<string, string>) => Promise<number>;

/** How a client reaches a service: one per protocol. */
export interface Protocol {
  name: string;
  caller: (service: DescService, address: string) => { call: CallMethod; close: () => void };
}

export const protocols: Protocol[] = [
  { name: "gRPC (grpc-js)", caller: grpcJsCaller },
  {
    name: "gRPC-Web (connect-node)",
    caller: (service, address) =>
      connectCaller(service, createGrpcWebTransport({ baseUrl: `http://${address}`, httpVersion: "1.1" })),
  },
  {
    name: "Connect (connect-node)",
    caller: (service, address) =>
      connectCaller(service, createConnectTransport({ baseUrl: `http://${address}`, httpVersion: "1.1" })),
  },
];

type AnyCall = (request: object, ...rest: unknown[]) => unknown;

function grpcJsCaller(service: DescService, address: string) {
  const client = createGrpcJsClient(service, address);
  const calls = client as unknown as Record<string, AnyCall>;
  const call: CallMethod = async (method, headers) => {
    const metadata = new grpc.Metadata();
    for (const [key, value] of Object.entries(headers)) metadata.set(key, value);
    const deadline = { deadline: Date.now() + 60_000 };
    try {
      const invoke = calls[method.localName]!;
      if (method.methodKind === "unary") await invoke({}, metadata, deadline);
      else if (method.methodKind === "server_streaming")
        await collect(invoke({}, metadata, deadline) as AsyncIterable<unknown>);
      else throw new Error(`the walk has no request for a ${method.methodKind} method (${method.name})`);
      return 0;
    } catch (error) {
      if (typeof (error as grpc.ServiceError).code === "number") return (error as grpc.ServiceError).code;
      throw error;
    }
  };
  return { call, close: () => client.close() };
}

function connectCaller(service: DescService, transport: Transport) {
  const client = createClient(service, transport) as unknown as Record<string, AnyCall>;
  const call: CallMethod = async (method, headers) => {
    const options = { headers, timeoutMs: 60_000 };
    try {
      const invoke = client[method.localName]!;
      if (method.methodKind === "unary") await invoke({}, options);
      else if (method.methodKind === "server_streaming")
        await collect(invoke({}, options) as AsyncIterable<unknown>);
      else throw new Error(`the walk has no request for a ${method.methodKind} method (${method.name})`);
      return 0;
    } catch (error) {
      if (error instanceof ConnectError) return error.code;
      throw error;
    }
  };
  return { call, close: () => undefined };
}
