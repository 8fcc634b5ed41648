import type { MessageInitShape } from "@bufbuild/protobuf";
import { Code } from "@connectrpc/connect";
import type {
  ServerReflectionRequest,
  ServerReflectionResponseSchema,
} from "@conveyor/proto/grpc/reflection/v1/reflection_pb";
import type { DescriptorIndex } from "./descriptor-index.ts";

type Response = MessageInitShape<typeof ServerReflectionResponseSchema>;
type Answer = Response["messageResponse"];

/** Answers one grpc.reflection.v1 request. Failures are error_response answers; the stream goes on. */
export function answerReflection(index: DescriptorIndex, request: ServerReflectionRequest): Response {
  return {
    validHost: request.host,
    originalRequest: request,
    messageResponse: answer(index, request.messageRequest),
  };
}

function answer(index: DescriptorIndex, query: ServerReflectionRequest["messageRequest"]): Answer {
  switch (query.case) {
    case "listServices":
      return {
        case: "listServicesResponse",
        value: { service: index.serviceNames.map((name) => ({ name })) },
      };
    case "fileByFilename":
      return files(index.fileByName(query.value), `file "${query.value}"`);
    case "fileContainingSymbol":
      return files(index.fileContainingSymbol(query.value), `symbol "${query.value}"`);
    case "fileContainingExtension": {
      const { containingType, extensionNumber } = query.value;
      return files(
        index.fileContainingExtension(containingType, extensionNumber),
        `extension ${extensionNumber} of "${containingType}"`,
      );
    }
    case "allExtensionNumbersOfType":
      return extensionNumbers(index.extensionNumbersOf(query.value), query.value);
    case undefined:
      return failure(Code.InvalidArgument, "the request sets no message_request");
  }
}

function files(fileDescriptorProto: Uint8Array[] | undefined, subject: string): Answer {
  if (!fileDescriptorProto) return failure(Code.NotFound, `${subject} not found`);
  return { case: "fileDescriptorResponse", value: { fileDescriptorProto } };
}

function extensionNumbers(extensionNumber: number[] | undefined, baseTypeName: string): Answer {
  if (!extensionNumber) return failure(Code.NotFound, `type "${baseTypeName}" not found`);
  return { case: "allExtensionNumbersResponse", value: { baseTypeName, extensionNumber } };
}

function failure(errorCode: Code, errorMessage: string): Answer {
  return { case: "errorResponse", value: { errorCode, errorMessage } };
}
