import * as grpc from "@grpc/grpc-js";

/** How a call ended: the gRPC status the client received and how many response messages came first. */
export interface CallEnd {
  code: grpc.status;
  details: string;
  messages: number;
  /** Response trailers (e.g. x-conveyor-bulk-* of an interrupted bulk update). */
  trailers: grpc.Metadata;
}

export type CallKind = "unary" | "server_streaming" | "client_streaming" | "bidi_streaming";

const identity = (bytes: Buffer) => bytes;

/**
 * A grpc-js client that sends bytes as they are: whatever a fuzzer made, framed as one gRPC message on a
 * real HTTP/2 connection. Responses are counted, not decoded.
 */
export class RawGrpcClient {
  private readonly client: grpc.Client;

  constructor(address: string) {
    this.client = new grpc.Client(address, grpc.credentials.createInsecure(), {
      "grpc.max_receive_message_length": -1,
      "grpc.max_send_message_length": -1,
    });
  }

  /** Calls `path` ("/package.Service/Method") with `body` as its one request message. */
  call(
    path: string,
    kind: CallKind,
    body: Uint8Array,
    metadata: grpc.Metadata,
    timeoutMs: number,
  ): Promise<CallEnd> {
    const options = { deadline: Date.now() + timeoutMs };
    const payload = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
    switch (kind) {
      case "unary":
        return this.unary(path, payload, metadata, options);
      case "server_streaming":
        return ended(
          this.client.makeServerStreamRequest(path, identity, identity, payload, metadata, options),
        );
      default: {
        const call = this.client.makeBidiStreamRequest(path, identity, identity, metadata, options);
        call.write(payload);
        call.end();
        return ended(call);
      }
    }
  }

  close(): void {
    this.client.close();
  }

  private unary(path: string, body: Buffer, metadata: grpc.Metadata, options: grpc.CallOptions) {
    return new Promise<CallEnd>((resolve) => {
      let trailers = new grpc.Metadata();
      const call = this.client.makeUnaryRequest(
        path,
        identity,
        identity,
        body,
        metadata,
        options,
        (error: grpc.ServiceError | null) => {
          if (error)
            resolve({ code: error.code, details: error.details, messages: 0, trailers: error.metadata });
          else resolve({ code: grpc.status.OK, details: "", messages: 1, trailers });
        },
      );
      call.on("status", (status: grpc.StatusObject) => (trailers = status.metadata));
    });
  }
}

function ended(call: grpc.ClientReadableStream<Buffer> | grpc.ClientDuplexStream<Buffer, Buffer>) {
  return new Promise<CallEnd>((resolve) => {
    let messages = 0;
    call.on("data", () => (messages += 1));
    // grpc-js emits "error" (for non-OK) before "status"; the status carries everything needed.
    call.on("error", () => undefined);
    call.on("status", (status: grpc.StatusObject) =>
      resolve({ code: status.code, details: status.details, messages, trailers: status.metadata }),
    );
  });
}
