import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { BatchExecuteRequestSchema } from "@conveyor/proto/conveyor/command/v1/batch_pb";
import { defaultBatchLimits } from "../batch/batch-limits.ts";
import { parseBatchRequest } from "./batch-request-mapping.ts";
import { addOrderItem, createUser, newId, placeOrder, updateUserRoles } from "./testing/commands.ts";

const request = (commands = [createUser("0193b3a0-0000-7000-8000-000000000001")]) =>
  create(BatchExecuteRequestSchema, { requestId: "r-1", commands });
const sha = (message = request()) =>
  Buffer.from(parseBatchRequest(message, defaultBatchLimits, new Date()).payloadSha256).toString("hex");
const decoded = (message = request()) =>
  fromBinary(BatchExecuteRequestSchema, toBinary(BatchExecuteRequestSchema, message));

describe("parseBatchRequest", () => {
  it("identifies equal payloads by the same hash, and a changed field by another", () => {
    expect(sha(decoded())).toBe(sha(request()));
    const other = request();
    other.commands[0]!.aggregateId = "0193b3a0-0000-7000-8000-000000000002";
    expect(sha(other)).not.toBe(sha(request()));
    const withVersion = request([
      createUser("0193b3a0-0000-7000-8000-000000000001", { expectedVersion: 0n }),
    ]);
    expect(sha(withVersion)).not.toBe(sha(request()));
  });

  it("refuses a request over max_request_bytes by its encoded size, however close to the limit", () => {
    const user = newId();
    const order = newId();
    const message = request([
      createUser(user),
      updateUserRoles(user, ["r".repeat(60), "é".repeat(50)]),
      placeOrder(order, user),
      addOrderItem(order, "SKU-\u{1F600}"),
    ]);
    const bytes = toBinary(BatchExecuteRequestSchema, message).length;
    const limits = (maxRequestBytes: number) => ({ ...defaultBatchLimits, maxRequestBytes });
    expect(() => parseBatchRequest(message, limits(bytes), new Date())).not.toThrow();
    expect(() => parseBatchRequest(message, limits(bytes - 1), new Date())).toThrow(
      `the batch has ${bytes} bytes`,
    );
  });
});
