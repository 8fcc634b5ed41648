import { createFileRegistry, fromBinary } from "@bufbuild/protobuf";
import { FileDescriptorProtoSchema, FileDescriptorSetSchema } from "@bufbuild/protobuf/wkt";
import { create } from "@bufbuild/protobuf";
import { Health } from "@conveyor/proto/grpc/health/v1/health_pb";
import { QueryService } from "@conveyor/proto/conveyor/query/v1/query_service_pb";
import { describe, expect, it } from "vitest";
import { createDescriptorIndex } from "./descriptor-index.ts";

const index = createDescriptorIndex([QueryService, Health]);
const fileNames = (files: Uint8Array[] | undefined) =>
  files?.map((bytes) => fromBinary(FileDescriptorProtoSchema, bytes).name);

describe("createDescriptorIndex", () => {
  it("lists the services in order", () => {
    expect(index.serviceNames).toEqual(["conveyor.query.v1.QueryService", "grpc.health.v1.Health"]);
  });

  it("answers a file with its transitive imports, the requested file first", () => {
    expect(fileNames(index.fileByName("conveyor/query/v1/query_service.proto"))).toEqual([
      "conveyor/query/v1/query_service.proto",
      "conveyor/query/v1/exports.proto",
      "google/protobuf/timestamp.proto",
      "conveyor/types/v1/types.proto",
    ]);
  });

  it.each([
    ["conveyor.query.v1.QueryService", "conveyor/query/v1/query_service.proto"],
    ["conveyor.query.v1.QueryService.ExportUsers", "conveyor/query/v1/query_service.proto"],
    ["conveyor.query.v1.ExportUsersRequest", "conveyor/query/v1/exports.proto"],
    ["conveyor.query.v1.ExportUsersRequest.filter", "conveyor/query/v1/exports.proto"],
    ["grpc.health.v1.HealthCheckResponse.ServingStatus", "grpc/health/v1/health.proto"],
    ["grpc.health.v1.HealthListResponse.StatusesEntry", "grpc/health/v1/health.proto"],
    ["google.protobuf.Timestamp", "google/protobuf/timestamp.proto"],
  ])("finds the file declaring %s", (symbol, fileName) => {
    expect(fileNames(index.fileContainingSymbol(symbol))?.[0]).toBe(fileName);
  });

  it("answers undefined for what it does not know", () => {
    expect(index.fileByName("nope.proto")).toBeUndefined();
    expect(index.fileContainingSymbol("conveyor.query.v1.QueryService.Nope")).toBeUndefined();
    expect(index.fileContainingSymbol("nope")).toBeUndefined();
    expect(index.fileContainingExtension("conveyor.query.v1.ExportUsersRequest", 100)).toBeUndefined();
    expect(index.extensionNumbersOf("nope.Message")).toBeUndefined();
  });

  it("reports no extension numbers for a known message without extensions", () => {
    expect(index.extensionNumbersOf("conveyor.query.v1.ExportUsersRequest")).toEqual([]);
  });

  it("answers files that build a registry on their own", () => {
    const files = index
      .fileContainingSymbol("conveyor.query.v1.QueryService")!
      .map((bytes) => fromBinary(FileDescriptorProtoSchema, bytes));
    const registry = createFileRegistry(create(FileDescriptorSetSchema, { file: files.reverse() }));
    expect(
      registry.getService("conveyor.query.v1.QueryService")?.methods.map((method) => method.name),
    ).toEqual(QueryService.methods.map((method) => method.name));
  });
});
