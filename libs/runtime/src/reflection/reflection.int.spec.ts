import { create, createFileRegistry, fromBinary, type MessageInitShape, toBinary } from "@bufbuild/protobuf";
import { type FileDescriptorProto, FileDescriptorProtoSchema } from "@bufbuild/protobuf/wkt";
import { Code } from "@connectrpc/connect";
import * as v1 from "@conveyor/proto/grpc/reflection/v1/reflection_pb";
import * as v1alpha from "@conveyor/proto/grpc/reflection/v1alpha/reflection_pb";
import type * as grpc from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { GrpcServer } from "../server/start-grpc-server.ts";
import { collect, createGrpcJsClient } from "../testing/grpc-js-client.ts";
import { startStubServer } from "../testing/stub-app.ts";

let server: GrpcServer;
beforeAll(async () => {
  server = await startStubServer();
});
afterAll(() => server.close());

type Request = MessageInitShape<typeof v1.ServerReflectionRequestSchema>["messageRequest"];
type Answer = v1.ServerReflectionResponse["messageResponse"];

/** Sends every request on one grpc-js bidi stream, half-closes it, and returns the answers in order. */
async function exchange<Req, Res>(
  stream: grpc.ClientDuplexStream<Req, Res>,
  requests: Req[],
): Promise<Res[]> {
  requests.forEach((request) => stream.write(request));
  stream.end();
  return collect(stream as AsyncIterable<Res>);
}

async function askV1(...requests: Request[]): Promise<Answer[]> {
  const client = createGrpcJsClient(v1.ServerReflection, `127.0.0.1:${server.port}`);
  const responses = await exchange(
    client.serverReflectionInfo(),
    requests.map((messageRequest) => ({ messageRequest })),
  );
  client.close();
  return responses.map((response) => response.messageResponse);
}

/** v1alpha answers are read back as v1 ones: the same bytes must decode under either name. */
async function askV1alpha(...requests: Request[]): Promise<Answer[]> {
  const client = createGrpcJsClient(v1alpha.ServerReflection, `127.0.0.1:${server.port}`);
  const alphaRequests = requests.map((messageRequest) =>
    fromBinary(
      v1alpha.ServerReflectionRequestSchema,
      toBinary(
        v1.ServerReflectionRequestSchema,
        create(v1.ServerReflectionRequestSchema, { messageRequest }),
      ),
    ),
  );
  const responses = await exchange(client.serverReflectionInfo(), alphaRequests);
  client.close();
  return responses.map(
    (response) =>
      fromBinary(
        v1.ServerReflectionResponseSchema,
        toBinary(v1alpha.ServerReflectionResponseSchema, response),
      ).messageResponse,
  );
}

describe.each([
  ["grpc.reflection.v1", askV1],
  ["grpc.reflection.v1alpha", askV1alpha],
])("%s.ServerReflection via a grpc-js bidi stream", (_version, ask) => {
  it("lists the app services, Health and both reflection services", async () => {
    const [answer] = await ask({ case: "listServices", value: "" });
    expect(
      answer?.case === "listServicesResponse" && answer.value.service.map((entry) => entry.name),
    ).toEqual([
      "conveyor.query.v1.QueryService",
      "conveyor.command.v1.CommandService",
      "grpc.health.v1.Health",
      "grpc.reflection.v1.ServerReflection",
      "grpc.reflection.v1alpha.ServerReflection",
    ]);
  });

  it("answers file_containing_symbol with files that build a registry holding the service and its request", async () => {
    const [answer] = await ask({ case: "fileContainingSymbol", value: "conveyor.query.v1.QueryService" });
    const files = answer?.case === "fileDescriptorResponse" ? answer.value.fileDescriptorProto : [];
    const registry = registryOf(files.map((bytes) => fromBinary(FileDescriptorProtoSchema, bytes)));
    expect(registry.getService("conveyor.query.v1.QueryService")?.method.exportUsers?.input.typeName).toBe(
      "conveyor.query.v1.ExportUsersRequest",
    );
    expect(
      registry.getMessage("conveyor.query.v1.ExportUsersRequest")?.fields.map((field) => field.name),
    ).toEqual(["filter", "options"]);
    expect(registry.getFile("google/protobuf/timestamp.proto")).toBeDefined();
  });

  it("answers what it does not know with error_response and keeps the stream going", async () => {
    const answers = await ask(
      { case: "fileContainingSymbol", value: "no.Such" },
      { case: "fileByFilename", value: "grpc/health/v1/health.proto" },
      { case: "allExtensionNumbersOfType", value: "conveyor.query.v1.ExportUsersRequest" },
    );
    expect(answers.map((answer) => answer?.case)).toEqual([
      "errorResponse",
      "fileDescriptorResponse",
      "allExtensionNumbersResponse",
    ]);
    expect(answers[0]?.value).toMatchObject({ errorCode: Code.NotFound });
  });
});

/** Builds a registry the way a reflection client does: the first file, its imports resolved by name. */
function registryOf(files: FileDescriptorProto[]) {
  const byName = new Map(files.map((file) => [file.name, file]));
  return createFileRegistry(files[0]!, (name) => byName.get(name));
}
