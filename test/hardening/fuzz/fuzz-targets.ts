import {
  create,
  toBinary,
  type DescMethod,
  type DescService,
  type MessageInitShape,
} from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { TransactionMode } from "@conveyor/proto/conveyor/command/v1/batch_pb";
import { CommandService } from "@conveyor/proto/conveyor/command/v1/command_service_pb";
import { ExportFormat } from "@conveyor/proto/conveyor/query/v1/exports_pb";
import { QueryService } from "@conveyor/proto/conveyor/query/v1/query_service_pb";
import { OrderStatus, UserStatus } from "@conveyor/proto/conveyor/types/v1/types_pb";
import { Health } from "@conveyor/proto/grpc/health/v1/health_pb";
import { ServerReflection } from "@conveyor/proto/grpc/reflection/v1/reflection_pb";
import { ServerReflection as ServerReflectionAlpha } from "@conveyor/proto/grpc/reflection/v1alpha/reflection_pb";
import { v7 as uuidv7 } from "uuid";
import type { Prng } from "./prng.ts";

export type ServiceName = "command" | "query";

/** One RPC the fuzzer calls, and how to make valid requests for it. */
export interface FuzzTarget {
  service: ServiceName;
  /** "/package.Service/Method". */
  path: string;
  method: DescMethod;
  /** Valid requests (protobuf binary) to mutate, made fresh each time (new ids, so a valid one writes anew). */
  valid(prng: Prng, known: KnownAggregates): Uint8Array;
}

/** Aggregates that exist, so valid changes to them can be made. */
export interface KnownAggregates {
  users: string[];
  orders: string[];
  tasks: string[];
}

type Init<M extends DescMethod> = MessageInitShape<M["input"]>;
type Maker = (prng: Prng, known: KnownAggregates) => Init<DescMethod>;

const address = { line1: "1 Fuzz Way", city: "Berlin", postalCode: "10115", country: "DE" };
const date = (prng: Prng) => timestampFromDate(new Date(Date.UTC(2026, prng.int(0, 11), prng.int(1, 28))));
const pickOr = (prng: Prng, ids: string[]) => (ids.length > 0 ? prng.pick(ids) : uuidv7());

const commandMakers: Maker[] = [
  () => ({
    aggregateId: uuidv7(),
    command: {
      case: "createUser",
      value: { email: `fuzz-${uuidv7()}@example.com`, firstName: "Fuzz", lastName: "Er", roles: ["buyer"] },
    },
  }),
  (prng, known) => ({
    aggregateId: uuidv7(),
    command: {
      case: "placeOrder",
      value: {
        customerId: pickOr(prng, known.users),
        orderDate: date(prng),
        items: [{ sku: "SKU-1", quantity: prng.int(1, 9), unitPriceMinor: 1999n }],
        shippingAddress: address,
      },
    },
  }),
  (prng) => ({
    aggregateId: uuidv7(),
    expectedVersion: 0n,
    command: {
      case: "createTask",
      value: { title: "Fuzz task", month: prng.int(1, 12), category: "fuzz", executionDate: date(prng) },
    },
  }),
  (prng, known) => ({
    aggregateId: pickOr(prng, known.users),
    command: {
      case: "updateUserStatus",
      value: { status: prng.pick([UserStatus.ACTIVE, UserStatus.SUSPENDED]) },
    },
  }),
  (prng, known) => ({
    aggregateId: pickOr(prng, known.users),
    command: { case: "updateUserRoles", value: { roles: ["buyer", "seller"] } },
  }),
  (prng, known) => ({
    aggregateId: pickOr(prng, known.users),
    command: { case: "updateUserEmail", value: { email: `fuzz-${uuidv7()}@example.org` } },
  }),
  (prng, known) => ({
    aggregateId: pickOr(prng, known.orders),
    command: { case: "addOrderItem", value: { item: { sku: "SKU-2", quantity: 2, unitPriceMinor: 250n } } },
  }),
  (prng, known) => ({
    aggregateId: pickOr(prng, known.orders),
    command: { case: "changeShippingAddress", value: { shippingAddress: { ...address, line2: "Floor 3" } } },
  }),
  (prng, known) => ({
    aggregateId: pickOr(prng, known.orders),
    command: { case: "markOrderPaid", value: {} },
  }),
  (prng, known) => ({ aggregateId: pickOr(prng, known.orders), command: { case: "shipOrder", value: {} } }),
  (prng, known) => ({
    aggregateId: pickOr(prng, known.orders),
    command: { case: "cancelOrder", value: { reason: "fuzz" } },
  }),
  (prng, known) => ({ aggregateId: pickOr(prng, known.tasks), command: { case: "completeTask", value: {} } }),
  (prng, known) => ({
    aggregateId: pickOr(prng, known.tasks),
    expectedVersion: 1n,
    command: { case: "setTaskExecutionDate", value: { executionDate: date(prng) } },
  }),
];

const batch: Maker = (prng, known) => ({
  requestId: uuidv7(),
  commands: Array.from({ length: prng.int(1, 4) }, () => prng.pick(commandMakers)(prng, known)),
  options: {
    transactionMode: prng.pick([
      TransactionMode.UNSPECIFIED,
      TransactionMode.PER_AGGREGATE,
      TransactionMode.ALL_OR_NOTHING,
    ]),
    parallelism: prng.int(0, 8),
  },
});

const taskPredicate = (prng: Prng) =>
  prng.pick([
    { predicate: { case: "month" as const, value: prng.int(1, 12) } },
    { predicate: { case: "category" as const, value: "fuzz" } },
    { predicate: { case: "completed" as const, value: false } },
    { predicate: { case: "executionDateBefore" as const, value: date(prng) } },
    { predicate: { case: "hasExecutionDate" as const, value: true } },
  ]);

const bulk: Maker = (prng, known) => {
  const common = {
    requestId: uuidv7(),
    dryRun: prng.chance(0.5),
    maxAffected: BigInt(prng.int(0, 1000)),
    sampleSize: prng.int(0, 20),
    rangeSize: prng.chance(0.3) ? prng.int(1, 10) : 0,
  };
  switch (prng.int(0, 2)) {
    case 0:
      return {
        ...common,
        filter: {
          node: {
            case: "and",
            value: {
              filters: [
                { node: { case: "task", value: taskPredicate(prng) } },
                { node: { case: "not", value: { node: { case: "never", value: true } } } },
              ],
            },
          },
        },
        operation: { case: "setTaskExecutionDate", value: { executionDate: date(prng) } },
      };
    case 1:
      return {
        ...common,
        filter: {
          node: {
            case: "or",
            value: {
              filters: [
                {
                  node: { case: "user", value: { predicate: { case: "emailDomain", value: "example.org" } } },
                },
                { node: { case: "user", value: { predicate: { case: "role", value: "seller" } } } },
              ],
            },
          },
        },
        operation: { case: "suspendUsers", value: {} },
      };
    default:
      return {
        ...common,
        filter: {
          node: {
            case: "order",
            value: prng.pick([
              { predicate: { case: "customerId" as const, value: pickOr(prng, known.users) } },
              { predicate: { case: "status" as const, value: OrderStatus.PLACED } },
              { predicate: { case: "placedBefore" as const, value: date(prng) } },
            ]),
          },
        },
        operation: { case: "cancelOrders", value: { reason: "fuzzed" } },
      };
  }
};

const exportOptions = (prng: Prng) => ({
  chunkSize: prng.int(0, 50),
  format: prng.pick([ExportFormat.UNSPECIFIED, ExportFormat.ROWS, ExportFormat.CSV, ExportFormat.NDJSON]),
});
const orderFilter = (prng: Prng, known: KnownAggregates) => ({
  placedFrom: date(prng),
  statuses: [OrderStatus.PLACED, OrderStatus.PAID],
  customerId: prng.chance(0.5) ? pickOr(prng, known.users) : "",
});
const taskFilter = (prng: Prng) => ({
  month: prng.int(0, 12),
  category: prng.chance(0.5) ? "fuzz" : "",
  completed: prng.chance(0.5),
});
const userFilter = () => ({ statuses: [UserStatus.PENDING, UserStatus.ACTIVE] });

const makers: Record<string, Maker> = {
  "conveyor.command.v1.CommandService/BatchExecute": batch,
  "conveyor.command.v1.CommandService/BatchExecuteStream": batch,
  "conveyor.command.v1.CommandService/BulkUpdate": bulk,
  "conveyor.query.v1.QueryService/ExportOrders": (prng, known) => ({
    filter: orderFilter(prng, known),
    options: exportOptions(prng),
  }),
  "conveyor.query.v1.QueryService/ExportTasks": (prng) => ({
    filter: taskFilter(prng),
    options: exportOptions(prng),
  }),
  "conveyor.query.v1.QueryService/ExportUsers": (prng) => ({
    filter: userFilter(),
    options: exportOptions(prng),
  }),
  "conveyor.query.v1.QueryService/PlanParallelExport": (prng, known) => ({
    target: prng.pick([
      { case: "orders" as const, value: orderFilter(prng, known) },
      { case: "tasks" as const, value: taskFilter(prng) },
      { case: "users" as const, value: userFilter() },
    ]),
    parts: prng.int(1, 4),
  }),
  // Changes need the final cursor of an export: without one (or with a made-up one) they are refused,
  // which is what a fuzzer can reach anyway.
  "conveyor.query.v1.QueryService/ExportOrderChanges": (prng, known) => ({
    filter: orderFilter(prng, known),
    options: { ...exportOptions(prng), cursor: "c1.AAAA" },
  }),
  "conveyor.query.v1.QueryService/ExportTaskChanges": (prng) => ({
    filter: taskFilter(prng),
    options: { ...exportOptions(prng), cursor: "" },
  }),
  "conveyor.query.v1.QueryService/ExportUserChanges": (prng) => ({
    filter: userFilter(),
    options: exportOptions(prng),
  }),
  "grpc.health.v1.Health/Check": (prng) => ({
    service: prng.pick(["", "conveyor.command.v1.CommandService", "conveyor.query.v1.QueryService"]),
  }),
  "grpc.reflection.v1.ServerReflection/ServerReflectionInfo": reflection,
  "grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo": reflection,
};

function reflection(prng: Prng): Init<DescMethod> {
  return {
    host: "",
    messageRequest: prng.pick([
      { case: "listServices" as const, value: "" },
      { case: "fileContainingSymbol" as const, value: "conveyor.command.v1.CommandService" },
      { case: "fileByFilename" as const, value: "conveyor/query/v1/exports.proto" },
    ]),
  };
}

/** Every method of both services (and health and reflection), except Health/Watch, which never ends. */
export function fuzzTargets(): FuzzTarget[] {
  const services: Array<[ServiceName, DescService[]]> = [
    ["command", [CommandService, Health, ServerReflection, ServerReflectionAlpha]],
    ["query", [QueryService, Health, ServerReflection, ServerReflectionAlpha]],
  ];
  return services.flatMap(([service, descriptors]) =>
    descriptors.flatMap((descriptor) =>
      descriptor.methods.flatMap((method) => {
        const maker = makers[`${descriptor.typeName}/${method.name}`];
        if (!maker) return [];
        return [
          {
            service,
            path: `/${descriptor.typeName}/${method.name}`,
            method,
            valid: (prng: Prng, known: KnownAggregates) =>
              toBinary(method.input, create(method.input, maker(prng, known))),
          },
        ];
      }),
    ),
  );
}
