import { create, type DescMessage, fromBinary, type MessageShape, toBinary } from "@bufbuild/protobuf";
import { WireType } from "@bufbuild/protobuf/wire";
import { type ExportProgress, ExportProgressSchema } from "@conveyor/proto/conveyor/query/v1/exports_pb";
import type { ExportMessage } from "../export/export-runner.ts";
import { ROWS_FIELD } from "../export/encoding/proto-row-encoder.ts";

/** What every Export*Response and Export*ChangesResponse has. */
interface StreamedResponse {
  data: Uint8Array;
  progress?: ExportProgress;
  removedIds?: string[];
}

/**
 * Builds a response message from an engine message. Typed rows arrive as the wire bytes of the `rows`
 * field and ride along as unknown fields, which protobuf-es writes out verbatim: the client decodes
 * real rows, and the server never builds a row object. The first row's tag is dropped from the bytes
 * because protobuf-es writes it. JSON clients get the rows decoded into objects (unknown fields do not
 * exist in JSON).
 */
export function toResponse<Desc extends DescMessage>(
  schema: Desc,
  message: ExportMessage,
  { byteFormat, json }: { byteFormat: boolean; json: boolean },
): MessageShape<Desc> {
  const response = create(schema) as MessageShape<Desc> & StreamedResponse;
  response.progress = create(ExportProgressSchema, {
    cursor: message.cursor,
    rowsSoFar: BigInt(message.rowsSoFar),
    estimatedTotal: BigInt(message.estimatedTotal),
    done: message.done,
  });
  if ("removedIds" in response) response.removedIds = message.removedIds;
  if (byteFormat) response.data = message.data;
  else if (message.data.length > 0)
    response.$unknown = [
      { no: ROWS_FIELD, wireType: WireType.LengthDelimited, data: message.data.subarray(1) },
    ];
  return json ? fromBinary(schema, toBinary(schema, response)) : response;
}
