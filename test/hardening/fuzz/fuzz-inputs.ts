import { create, toBinary } from "@bufbuild/protobuf";
import { BatchExecuteRequestSchema } from "@conveyor/proto/conveyor/command/v1/batch_pb";
import { BulkUpdateRequestSchema, type Filter } from "@conveyor/proto/conveyor/command/v1/bulk_pb";
import {
  ExportOrdersRequestSchema,
  ExportTasksRequestSchema,
  ExportUsersRequestSchema,
} from "@conveyor/proto/conveyor/query/v1/exports_pb";
import { v7 as uuidv7 } from "uuid";
import type { FuzzInput } from "./fuzz-campaign.ts";
import type { FuzzTarget, KnownAggregates } from "./fuzz-targets.ts";
import { extremeIntegers, fieldMutations, hostileStrings, mutate, mutateFields } from "./mutations.ts";
import type { Prng } from "./prng.ts";
import { bytesField, concat, nestedGroups, nestedMessages, varintField } from "./wire.ts";

/** Makes the inputs of each category for a set of targets. */
export class FuzzInputs {
  constructor(
    private readonly prng: Prng,
    readonly targets: FuzzTarget[],
    private readonly known: () => KnownAggregates,
  ) {}

  private target(): FuzzTarget {
    return this.prng.pick(this.targets);
  }

  private valid(target: FuzzTarget): Uint8Array {
    return target.valid(this.prng, this.known());
  }

  /** Valid requests, unchanged: the control group (they should mostly succeed). */
  validRequest(): FuzzInput {
    const target = this.target();
    return { category: "valid", target, body: this.valid(target) };
  }

  /** A valid request with one to four random mutations, on bytes or on fields. */
  mutated(): FuzzInput {
    const target = this.target();
    let body = this.valid(target);
    for (let i = this.prng.int(1, 4); i > 0; i -= 1) body = mutate(this.prng, body);
    return { category: "mutated", target, body };
  }

  randomBytes(): FuzzInput {
    const length = this.prng.pick([0, 1, 2, 3, 5, 8, 16, 64, 256, 1024, 16_384]);
    return { category: "random-bytes", target: this.target(), body: this.prng.bytes(length) };
  }

  /** A field re-encoded with another wire type, or fields the schema does not know (groups included). */
  wireTypes(): FuzzInput {
    const target = this.target();
    const valid = this.valid(target);
    const mutation = this.prng.chance(0.5) ? fieldMutations.wrongWireType : fieldMutations.unknownSibling;
    return { category: "wire-types", target, body: mutateFields(this.prng, valid, mutation) ?? valid };
  }

  /** A string field holding bytes that are not UTF-8. */
  invalidUtf8(): FuzzInput {
    const target = this.target();
    const valid = this.valid(target);
    const body =
      mutateFields(this.prng, valid, fieldMutations.invalidUtf8) ??
      concat(valid, bytesField(1, Uint8Array.of(0xff, 0xfe)));
    return { category: "invalid-utf8", target, body };
  }

  /** SQL-ish, NUL, huge or malformed strings and integers at the edges of their types, in any field. */
  hostileValues(): FuzzInput {
    const target = this.target();
    const valid = this.valid(target);
    const mutation = this.prng.chance(0.5) ? fieldMutations.hostileText : fieldMutations.extremeInteger;
    return { category: "hostile-values", target, body: mutateFields(this.prng, valid, mutation) ?? valid };
  }

  /** Hostile values where they reach SQL: bulk filter predicates and export filters. */
  hostileFilter(): FuzzInput {
    const text = this.prng.pick(hostileStrings);
    const number = Number(BigInt.asIntN(32, this.prng.pick(extremeIntegers)));
    const seconds = BigInt.asIntN(64, this.prng.pick(extremeIntegers));
    const path = (method: string) => this.targets.find((t) => t.path.endsWith(method));
    const predicate = this.prng.pick<Filter["node"]>([
      { case: "task", value: { predicate: { case: "category", value: text } } } as Filter["node"],
      { case: "task", value: { predicate: { case: "month", value: number } } } as Filter["node"],
      {
        case: "task",
        value: { predicate: { case: "executionDateAfter", value: { seconds, nanos: number } } },
      } as Filter["node"],
      { case: "user", value: { predicate: { case: "role", value: text } } } as Filter["node"],
      { case: "user", value: { predicate: { case: "emailDomain", value: text } } } as Filter["node"],
      { case: "user", value: { predicate: { case: "status", value: number } } } as Filter["node"],
      { case: "order", value: { predicate: { case: "customerId", value: text } } } as Filter["node"],
      {
        case: "order",
        value: { predicate: { case: "placedBefore", value: { seconds, nanos: 0 } } },
      } as Filter["node"],
    ]);
    const choices: Array<() => FuzzInput | undefined> = [
      () => {
        const target = path("/BulkUpdate");
        if (!target) return undefined;
        const operation =
          predicate.case === "user"
            ? "suspendUsers"
            : predicate.case === "order"
              ? "cancelOrders"
              : "setTaskExecutionDate";
        const request = create(BulkUpdateRequestSchema, {
          requestId: this.prng.chance(0.2) ? text : uuidv7(),
          dryRun: this.prng.chance(0.5),
          filter: { node: predicate },
          operation:
            operation === "suspendUsers"
              ? { case: "suspendUsers", value: {} }
              : operation === "cancelOrders"
                ? { case: "cancelOrders", value: { reason: text } }
                : { case: "setTaskExecutionDate", value: { executionDate: { seconds, nanos: number } } },
        });
        return { category: "hostile-filters", target, body: toBinary(BulkUpdateRequestSchema, request) };
      },
      () => {
        const target = path("/ExportTasks");
        if (!target) return undefined;
        const request = create(ExportTasksRequestSchema, {
          filter: { month: number, category: text, completed: this.prng.chance(0.5) },
          options: {
            chunkSize: Number(BigInt.asUintN(32, this.prng.pick(extremeIntegers))),
            cursor: this.prng.chance(0.5) ? text : "",
            format: number,
          },
        });
        return { category: "hostile-filters", target, body: toBinary(ExportTasksRequestSchema, request) };
      },
      () => {
        const target = path("/ExportOrders");
        if (!target) return undefined;
        const request = create(ExportOrdersRequestSchema, {
          filter: { customerId: text, statuses: [number], placedFrom: { seconds, nanos: number } },
          options: { consistencyToken: this.prng.chance(0.5) ? text : "" },
        });
        return { category: "hostile-filters", target, body: toBinary(ExportOrdersRequestSchema, request) };
      },
      () => {
        const target = path("/ExportUsers");
        if (!target) return undefined;
        const request = create(ExportUsersRequestSchema, {
          filter: { statuses: [number, 1] },
          options: { cursor: text },
        });
        return { category: "hostile-filters", target, body: toBinary(ExportUsersRequestSchema, request) };
      },
    ];
    for (;;) {
      const input = this.prng.pick(choices)();
      if (input) return input;
    }
  }

  /** Filters nested past the depth limit (far past: deep enough to overflow a recursive parser), and nested unknown groups and messages. */
  deepNesting(): FuzzInput[] {
    const inputs: FuzzInput[] = [];
    const bulk = this.targets.find((t) => t.path.endsWith("/BulkUpdate"));
    const always = varintField(4, 1);
    const suspendUsers = bytesField(11, new Uint8Array(0));
    if (bulk)
      for (const depth of [31, 32, 33, 100, 1_000, 10_000, 100_000, 500_000]) {
        // Filter.not (field 3) inside Filter.not ..., in BulkUpdateRequest.filter (field 2).
        const nots = nestedMessages(3, depth - 1, always);
        inputs.push({
          category: "deep-nesting",
          target: bulk,
          body: concat(bytesField(2, nots), suspendUsers),
        });
        // Filter.and (field 1) -> FilterList.filters (field 1) -> Filter ...: two wire levels per filter level.
        const ands = nestedMessages(1, 2 * (depth - 1), always);
        inputs.push({
          category: "deep-nesting",
          target: bulk,
          body: concat(bytesField(2, ands), suspendUsers),
        });
      }
    for (const target of this.targets)
      for (const depth of [1_000, 200_000]) {
        const valid = this.valid(target);
        inputs.push({
          category: "deep-nesting",
          target,
          body: concat(valid, nestedGroups(9_999, depth, true)),
        });
        inputs.push({
          category: "deep-nesting",
          target,
          body: concat(valid, nestedGroups(9_999, depth, false)),
        });
        inputs.push({
          category: "deep-nesting",
          target,
          body: concat(valid, nestedMessages(9_999, depth, always)),
        });
      }
    return inputs;
  }

  /** Repeated fields past the batch, filter and message-size limits. */
  hugeRepeated(): FuzzInput[] {
    const inputs: FuzzInput[] = [];
    const find = (method: string) => this.targets.filter((t) => t.path.endsWith(method));
    const createTask = () => ({
      aggregateId: uuidv7(),
      command: { case: "createTask" as const, value: { title: "t", month: 1, category: "huge" } },
    });
    const batches = [
      // More commands than BATCH_MAX_COMMANDS (10,000), all on one aggregate.
      Array.from({ length: 10_001 }, () => ({
        aggregateId: uuidv7(),
        command: { case: "completeTask" as const, value: {} },
      })).map((command, _, all) => ({ ...command, aggregateId: all[0]!.aggregateId })),
      // More aggregates than BATCH_MAX_AGGREGATES (5,000).
      Array.from({ length: 5_001 }, createTask),
      // Over the 4 MiB message limit: one user with a million roles.
      [
        {
          aggregateId: uuidv7(),
          command: {
            case: "createUser" as const,
            value: {
              email: "big@example.com",
              firstName: "B",
              lastName: "B",
              roles: Array.from({ length: 600_000 }, (_, i) => `r${i}`),
            },
          },
        },
      ],
      // An order with 20,000 lines.
      [
        {
          aggregateId: uuidv7(),
          command: {
            case: "placeOrder" as const,
            value: {
              customerId: uuidv7(),
              items: Array.from({ length: 20_000 }, () => ({ sku: "S", quantity: 1, unitPriceMinor: 1n })),
              shippingAddress: { line1: "l", city: "c", postalCode: "p", country: "DE" },
            },
          },
        },
      ],
    ];
    for (const target of [...find("/BatchExecute"), ...find("/BatchExecuteStream")])
      for (const commands of batches)
        inputs.push({
          category: "huge-repeated",
          target,
          body: toBinary(
            BatchExecuteRequestSchema,
            create(BatchExecuteRequestSchema, { requestId: uuidv7(), commands }),
          ),
        });
    for (const target of find("/BulkUpdate")) {
      const leaf = { node: { case: "always" as const, value: true } };
      for (const width of [1_001, 100_000]) {
        const request = create(BulkUpdateRequestSchema, {
          requestId: uuidv7(),
          filter: { node: { case: "or", value: { filters: Array.from({ length: width }, () => leaf) } } },
          operation: { case: "suspendUsers", value: {} },
        });
        inputs.push({ category: "huge-repeated", target, body: toBinary(BulkUpdateRequestSchema, request) });
      }
    }
    for (const target of [...find("/ExportUsers"), ...find("/ExportUserChanges")]) {
      const request = create(ExportUsersRequestSchema, {
        filter: { statuses: Array.from({ length: 1_000_000 }, (_, i) => (i % 3) + 1) },
      });
      inputs.push({ category: "huge-repeated", target, body: toBinary(ExportUsersRequestSchema, request) });
    }
    for (const target of find("/ExportOrders")) {
      const request = create(ExportOrdersRequestSchema, {
        filter: { statuses: Array.from({ length: 100_000 }, (_, i) => (i % 4) + 1) },
      });
      inputs.push({ category: "huge-repeated", target, body: toBinary(ExportOrdersRequestSchema, request) });
    }
    // Over the message limit with one huge string, on every method.
    for (const target of this.targets)
      inputs.push({
        category: "huge-repeated",
        target,
        body: bytesField(1, new Uint8Array(5 * 1024 * 1024).fill(0x61)),
      });
    return inputs;
  }
}
