import http2 from "node:http2";
import { create, toBinary } from "@bufbuild/protobuf";
import { ExportOrdersRequestSchema } from "@conveyor/proto/conveyor/query/v1/exports_pb";
import type { MessageInitShape } from "@bufbuild/protobuf";

/**
 * Starts ExportOrders over a raw HTTP/2 connection and, once the first response bytes arrive, destroys
 * the connection without closing the stream first: a client that vanished.
 */
export async function dropConnectionMidExport(
  address: string,
  request: MessageInitShape<typeof ExportOrdersRequestSchema>,
): Promise<void> {
  const session = http2.connect(`http://${address}`);
  session.on("error", () => {});
  const message = toBinary(ExportOrdersRequestSchema, create(ExportOrdersRequestSchema, request));
  const frame = Buffer.alloc(5 + message.length);
  frame.writeUInt32BE(message.length, 1);
  frame.set(message, 5);
  const stream = session.request({
    ":method": "POST",
    ":path": "/conveyor.query.v1.QueryService/ExportOrders",
    "content-type": "application/grpc",
    te: "trailers",
  });
  stream.on("error", () => {});
  stream.end(frame);
  await new Promise<void>((resolve) => stream.once("data", () => resolve()));
  session.destroy();
}
