import { create, type MessageInitShape } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { describe, expect, it } from "vitest";
import { LimitExceeded, ValidationError } from "@conveyor/errors";
import { BulkUpdateRequestSchema } from "@conveyor/proto/conveyor/command/v1/bulk_pb";
import { UserStatus } from "@conveyor/proto/conveyor/types/v1/types_pb";
import { toBulkUpdate } from "./bulk-request-mapping.ts";

type RequestInit = MessageInitShape<typeof BulkUpdateRequestSchema>;
type FilterInit = NonNullable<RequestInit["filter"]>;

const setDate = {
  case: "setTaskExecutionDate",
  value: { executionDate: timestampFromDate(new Date("2026-01-01T00:00:00Z")) },
} as const;
const task = (predicate: object): FilterInit =>
  ({ node: { case: "task", value: { predicate } } }) as FilterInit;
const user = (predicate: object): FilterInit =>
  ({ node: { case: "user", value: { predicate } } }) as FilterInit;
const order = (predicate: object): FilterInit =>
  ({ node: { case: "order", value: { predicate } } }) as FilterInit;
const and = (...filters: FilterInit[]): FilterInit => ({ node: { case: "and", value: { filters } } });
const not = (inner: FilterInit): FilterInit => ({ node: { case: "not", value: inner } });
const month = (value: number) => task({ case: "month", value });

function mapping(init: RequestInit) {
  return () => toBulkUpdate(create(BulkUpdateRequestSchema, init));
}

function refusal(init: RequestInit): ValidationError {
  try {
    mapping(init)();
  } catch (error) {
    if (error instanceof ValidationError) return error;
    throw error;
  }
  throw new Error("expected a ValidationError");
}

describe("BulkUpdate request mapping", () => {
  it("fills in the defaults", () => {
    const { options } = mapping({ operation: setDate, filter: month(3) })();
    expect(options).toMatchObject({
      dryRun: false,
      maxAffected: 100_000,
      sampleSize: 10,
      rangeSize: 0,
      rangeConcurrency: 1,
    });
    expect(options.requestId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-/);
  });

  it.each<[string, RequestInit, string]>([
    ["no operation", { filter: month(3) }, "operation"],
    ["no filter", { operation: setDate }, "filter"],
    [
      "no execution date",
      { operation: { case: "setTaskExecutionDate", value: {} }, filter: month(3) },
      "set_task_execution_date.execution_date",
    ],
    [
      "a user predicate in a task operation",
      { operation: setDate, filter: and(month(3), user({ case: "role", value: "x" })) },
      "filter.and.filters[1].user",
    ],
    [
      "a task predicate in a user operation",
      { operation: { case: "suspendUsers", value: {} }, filter: not(month(3)) },
      "filter.not.task",
    ],
    [
      "an order predicate in a task operation",
      { operation: setDate, filter: order({ case: "status", value: 1 }) },
      "filter.order",
    ],
    ["month 13", { operation: setDate, filter: not(not(month(13))) }, "filter.not.not.task.month"],
    ["month 0", { operation: setDate, filter: month(0) }, "filter.task.month"],
    ["an empty node", { operation: setDate, filter: and(month(3), {}) }, "filter.and.filters[1]"],
    ["an empty and", { operation: setDate, filter: and() }, "filter.and.filters"],
    ["an empty predicate", { operation: setDate, filter: task({}) }, "filter.task"],
    [
      "always: false",
      { operation: setDate, filter: { node: { case: "always", value: false } } },
      "filter.always",
    ],
    [
      "a NUL in a category",
      { operation: setDate, filter: task({ case: "category", value: "a\u0000b" }) },
      "filter.task.category",
    ],
    [
      "an unpaired surrogate in a category",
      { operation: setDate, filter: task({ case: "category", value: "a\ud800" }) },
      "filter.task.category",
    ],
    [
      "a 201-character category",
      { operation: setDate, filter: task({ case: "category", value: "x".repeat(201) }) },
      "filter.task.category",
    ],
    [
      "sub-millisecond timestamps",
      { operation: setDate, filter: task({ case: "executionDateBefore", value: { seconds: 0n, nanos: 1 } }) },
      "filter.task.execution_date_before",
    ],
    [
      "a timestamp after year 9999",
      { operation: setDate, filter: task({ case: "executionDateAfter", value: { seconds: 253402300800n } }) },
      "filter.task.execution_date_after",
    ],
    [
      "an execution date after year 9999",
      {
        operation: { case: "setTaskExecutionDate", value: { executionDate: { seconds: 253402300800n } } },
        filter: month(3),
      },
      "set_task_execution_date.execution_date",
    ],
    [
      "an unspecified user status",
      {
        operation: { case: "suspendUsers", value: {} },
        filter: user({ case: "status", value: UserStatus.UNSPECIFIED }),
      },
      "filter.user.status",
    ],
    [
      "an unknown user status",
      { operation: { case: "suspendUsers", value: {} }, filter: user({ case: "status", value: 99 }) },
      "filter.user.status",
    ],
    [
      "an email domain with @",
      {
        operation: { case: "suspendUsers", value: {} },
        filter: user({ case: "emailDomain", value: "a@b.de" }),
      },
      "filter.user.email_domain",
    ],
    [
      "an empty role with a NUL",
      { operation: { case: "suspendUsers", value: {} }, filter: user({ case: "role", value: "\u0000" }) },
      "filter.user.role",
    ],
    [
      "a customer id that is not a UUID",
      {
        operation: { case: "cancelOrders", value: { reason: "r" } },
        filter: order({ case: "customerId", value: "'; DROP TABLE orders; --" }),
      },
      "filter.order.customer_id",
    ],
    [
      "a cancel reason with a NUL",
      {
        operation: { case: "cancelOrders", value: { reason: "\u0000" } },
        filter: order({ case: "status", value: 1 }),
      },
      "cancel_orders.reason",
    ],
    [
      "a 501-character cancel reason",
      {
        operation: { case: "cancelOrders", value: { reason: "x".repeat(501) } },
        filter: order({ case: "status", value: 1 }),
      },
      "cancel_orders.reason",
    ],
    ["a request id with a NUL", { requestId: "r\u0000", operation: setDate, filter: month(3) }, "request_id"],
    [
      "a 201-character request id",
      { requestId: "r".repeat(201), operation: setDate, filter: month(3) },
      "request_id",
    ],
    [
      "max_affected over 10,000,000",
      { operation: setDate, filter: month(3), maxAffected: 10_000_001n },
      "max_affected",
    ],
    ["sample_size over 100", { operation: setDate, filter: month(3), sampleSize: 101 }, "sample_size"],
    [
      "range_size over 1,000,000",
      { operation: setDate, filter: month(3), rangeSize: 1_000_001 },
      "range_size",
    ],
    [
      "range_concurrency over 4",
      { operation: setDate, filter: month(3), rangeSize: 10, rangeConcurrency: 5 },
      "range_concurrency",
    ],
    [
      "range_concurrency without range_size",
      { operation: setDate, filter: month(3), rangeConcurrency: 2 },
      "range_concurrency",
    ],
  ])("refuses %s, naming %s", (_case, init, field) => {
    expect(refusal(init).field).toBe(field);
  });

  it("accepts the limits themselves", () => {
    const init = {
      operation: setDate,
      filter: month(3),
      maxAffected: 10_000_000n,
      sampleSize: 100,
      rangeSize: 1_000_000,
      rangeConcurrency: 4,
    };
    expect(mapping(init)().options).toMatchObject({
      maxAffected: 10_000_000,
      sampleSize: 100,
      rangeSize: 1_000_000,
      rangeConcurrency: 4,
    });
    expect(mapping({ ...init, requestId: "r".repeat(200) })().options.requestId).toHaveLength(200);
  });

  it("refuses filters of more than 1,000 nodes or 32 levels", () => {
    const wide = (leaves: number) => and(...Array.from({ length: leaves }, () => month(3)));
    expect(mapping({ operation: setDate, filter: wide(999) })).not.toThrow();
    expect(mapping({ operation: setDate, filter: wide(1000) })).toThrow(LimitExceeded);
    const deep = (levels: number): FilterInit => (levels === 1 ? month(3) : not(deep(levels - 1)));
    expect(mapping({ operation: setDate, filter: deep(32) })).not.toThrow();
    expect(mapping({ operation: setDate, filter: deep(33) })).toThrow(LimitExceeded);
  });
});
