import { create, type MessageInitShape } from "@bufbuild/protobuf";
import { Code } from "@connectrpc/connect";
import { ServerReflectionRequestSchema } from "@conveyor/proto/grpc/reflection/v1/reflection_pb";
import { QueryService } from "@conveyor/proto/conveyor/query/v1/query_service_pb";
import { describe, expect, it } from "vitest";
import { createDescriptorIndex } from "./descriptor-index.ts";
import { answerReflection } from "./reflection-answer.ts";

const index = createDescriptorIndex([QueryService]);
const ask = (messageRequest: MessageInitShape<typeof ServerReflectionRequestSchema>["messageRequest"]) =>
  answerReflection(index, create(ServerReflectionRequestSchema, { host: "localhost", messageRequest }));

describe("answerReflection", () => {
  it("echoes the host and the request", () => {
    const response = ask({ case: "listServices", value: "" });
    expect(response.validHost).toBe("localhost");
    expect(response.originalRequest?.messageRequest?.case).toBe("listServices");
  });

  it("lists the services", () => {
    expect(ask({ case: "listServices", value: "" }).messageResponse).toEqual({
      case: "listServicesResponse",
      value: { service: [{ name: "conveyor.query.v1.QueryService" }] },
    });
  });

  it("answers an unknown symbol with a NOT_FOUND error_response", () => {
    expect(ask({ case: "fileContainingSymbol", value: "no.Such" }).messageResponse).toEqual({
      case: "errorResponse",
      value: { errorCode: Code.NotFound, errorMessage: 'symbol "no.Such" not found' },
    });
  });

  it("answers an unknown extension with NOT_FOUND, and a known type's extension numbers with an empty list", () => {
    const extension = { containingType: "conveyor.query.v1.ExportUsersRequest", extensionNumber: 100 };
    expect(ask({ case: "fileContainingExtension", value: extension }).messageResponse?.case).toBe(
      "errorResponse",
    );
    expect(
      ask({ case: "allExtensionNumbersOfType", value: "conveyor.query.v1.ExportUsersRequest" })
        .messageResponse,
    ).toEqual({
      case: "allExtensionNumbersResponse",
      value: { baseTypeName: "conveyor.query.v1.ExportUsersRequest", extensionNumber: [] },
    });
  });

  it("answers a request without a question with INVALID_ARGUMENT", () => {
    expect(ask({ case: undefined }).messageResponse).toMatchObject({
      case: "errorResponse",
      value: { errorCode: Code.InvalidArgument },
    });
  });
});
