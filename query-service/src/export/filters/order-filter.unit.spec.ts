import { create } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { ValidationError } from "@conveyor/errors";
import { OrderExportFilterSchema } from "@conveyor/proto/conveyor/query/v1/exports_pb";
import { orderFilter } from "./order-filter.ts";

// Found by the bad-input fuzzer: placed_from with seconds = 2^63 - 1 made a Date without a time, whose
// toISOString threw a RangeError, answered as INTERNAL.
describe("orderFilter", () => {
  it.each([
    ["placedFrom", "filter.placed_from", { seconds: 2n ** 63n - 1n, nanos: 0 }],
    ["placedTo", "filter.placed_to", { seconds: -(2n ** 63n), nanos: 0 }],
    ["placedFrom", "filter.placed_from", { seconds: 253402300800n, nanos: 0 }],
    ["placedTo", "filter.placed_to", { seconds: -62135596801n, nanos: 0 }],
  ])("refuses %s outside years 1 to 9999 as bad input naming %s", (key, field, timestamp) => {
    const filter = create(OrderExportFilterSchema, { [key]: timestamp });
    let thrown: unknown;
    try {
      orderFilter(filter);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ValidationError);
    expect((thrown as ValidationError).field).toBe(field);
  });

  it("takes the first and the last millisecond of years 1 to 9999", () => {
    const filter = create(OrderExportFilterSchema, {
      placedFrom: { seconds: -62135596800n, nanos: 0 },
      placedTo: { seconds: 253402300799n, nanos: 999_000_000 },
    });
    expect(orderFilter(filter).predicate).toBe(
      "order_date >= '0001-01-01T00:00:00.000Z'::timestamptz AND order_date < '9999-12-31T23:59:59.999Z'::timestamptz",
    );
  });
});
