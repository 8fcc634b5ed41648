import fc from "fast-check";
import type { MessageInitShape } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { isStorableText } from "@conveyor/specification";
import type { FilterSchema } from "@conveyor/proto/conveyor/command/v1/bulk_pb";
import {
  OrderStatus as WireOrderStatus,
  UserStatus as WireUserStatus,
} from "@conveyor/proto/conveyor/types/v1/types_pb";
import type { Order, OrderStatus } from "../../order/domain/order-state.ts";
import type { Task } from "../../task/domain/task-state.ts";
import { normalizeEmail } from "../../user/domain/email.ts";
import type { User, UserStatus } from "../../user/domain/user.ts";
import { fillerAddress } from "./aggregate-rows.ts";

/** Test support: random aggregates and random filter trees whose values often collide, so filters match. */
export type FilterInit = MessageInitShape<typeof FilterSchema>;

/** Strings that break naive SQL, LIKE patterns, JSON, case folding and UTF-8 handling. */
export const hostileStrings = [
  "ops",
  "Ops",
  "ops ",
  "",
  "o'ps",
  "'; DROP TABLE tasks; --",
  '" OR 1=1 --',
  "$1",
  "%",
  "_",
  "\\",
  "\\x00",
  "ünïcödé",
  "ÄB",
  "😀",
  "\u200b",
  "a\nb",
];

/** Hostile strings, and arbitrary ones, that PostgreSQL can store. */
export const hostileText = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...hostileStrings) },
  { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 8 }).filter(isStorableText) },
);

/** Instants on both sides of, and exactly at, the boundaries filters use. */
export const boundaryDates = [
  "0001-01-01T00:00:00.000Z",
  "1999-12-31T23:59:59.999Z",
  "2026-01-01T00:00:00.000Z",
  "2026-01-01T00:00:00.001Z",
  "2026-06-15T12:30:00.000Z",
  "9999-12-31T23:59:59.999Z",
].map((iso) => new Date(iso));

export const someDate = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...boundaryDates) },
  {
    weight: 1,
    arbitrary: fc.date({ min: new Date("1900-01-01"), max: new Date("2200-01-01"), noInvalidDate: true }),
  },
);

const version = fc.integer({ min: 1, max: 5 });

export const tasks = fc.uniqueArray(
  fc.record({
    id: fc.uuid(),
    title: fc.string({ maxLength: 5 }).filter(isStorableText),
    month: fc.integer({ min: 1, max: 12 }),
    category: hostileText,
    completed: fc.boolean(),
    executionDate: fc.option(someDate, { nil: null }),
    version,
  }) satisfies fc.Arbitrary<Task>,
  { selector: (task) => task.id, maxLength: 25 },
);

const userStatus = fc.constantFrom<UserStatus>("PENDING", "ACTIVE", "SUSPENDED");
const emailDomains = ["x.de", "example.com", "ünï.de", "o'brien.ie", "%.com", "_.com", "a.b.c"];

export const users = fc
  .array(
    fc.record({
      id: fc.uuid(),
      domain: fc.constantFrom(...emailDomains),
      status: userStatus,
      roles: fc.uniqueArray(hostileText, { maxLength: 3 }),
      version,
    }),
    { maxLength: 20 },
  )
  .map((drafts) =>
    uniqueBy(drafts, (draft) => draft.id).map(({ domain, ...user }, i): User => ({
      ...user,
      email: normalizeEmail(`user${i}@${domain}`),
      firstName: "First",
      lastName: "Last",
    })),
  );

/** The customers every random order belongs to (they must exist: orders reference users). */
export const customerIds = [
  "0190a000-0000-7000-8000-0000000000c1",
  "0190a000-0000-7000-8000-0000000000c2",
  "0190a000-0000-7000-8000-0000000000c3",
];

const orderStatus = fc.constantFrom<OrderStatus>("PLACED", "PAID", "SHIPPED", "CANCELLED");

export const orders = fc.uniqueArray(
  fc
    .record({
      id: fc.uuid(),
      customerId: fc.constantFrom(...customerIds),
      orderDate: someDate,
      status: orderStatus,
      cancelReason: fc.option(hostileText, { nil: undefined }),
      version,
    })
    .map(({ cancelReason, ...order }): Order => ({
      ...order,
      items: [],
      shippingAddress: fillerAddress,
      ...(cancelReason === undefined ? {} : { cancelReason }),
    })),
  { selector: (order) => order.id, maxLength: 25 },
);

const timestamp = someDate.map(timestampFromDate);

export const taskLeaf: fc.Arbitrary<FilterInit> = fc
  .oneof(
    fc.integer({ min: 1, max: 12 }).map((value) => ({ case: "month" as const, value })),
    hostileText.map((value) => ({ case: "category" as const, value })),
    fc.boolean().map((value) => ({ case: "completed" as const, value })),
    timestamp.map((value) => ({ case: "executionDateBefore" as const, value })),
    timestamp.map((value) => ({ case: "executionDateAfter" as const, value })),
    fc.boolean().map((value) => ({ case: "hasExecutionDate" as const, value })),
  )
  .map((predicate) => ({ node: { case: "task", value: { predicate } } }));

const wireUserStatus = fc.constantFrom(
  WireUserStatus.PENDING,
  WireUserStatus.ACTIVE,
  WireUserStatus.SUSPENDED,
);

export const userLeaf: fc.Arbitrary<FilterInit> = fc
  .oneof(
    wireUserStatus.map((value) => ({ case: "status" as const, value })),
    hostileText.map((value) => ({ case: "role" as const, value })),
    fc
      .constantFrom(...emailDomains, "X.DE", "Example.COM", "ÜNÏ.DE", "de", "x")
      .map((value) => ({ case: "emailDomain" as const, value })),
  )
  .map((predicate) => ({ node: { case: "user", value: { predicate } } }));

const wireOrderStatus = fc.constantFrom(
  WireOrderStatus.PLACED,
  WireOrderStatus.PAID,
  WireOrderStatus.SHIPPED,
  WireOrderStatus.CANCELLED,
);

export const orderLeaf: fc.Arbitrary<FilterInit> = fc
  .oneof(
    wireOrderStatus.map((value) => ({ case: "status" as const, value })),
    timestamp.map((value) => ({ case: "placedBefore" as const, value })),
    timestamp.map((value) => ({ case: "placedAfter" as const, value })),
    fc
      .constantFrom(...customerIds, customerIds[0]!.toUpperCase())
      .map((value) => ({ case: "customerId" as const, value })),
  )
  .map((predicate) => ({ node: { case: "order", value: { predicate } } }));

/** Random and / or / not / always / never trees over `leaf`, a few levels deep. */
export function filterTree(leaf: fc.Arbitrary<FilterInit>): fc.Arbitrary<FilterInit> {
  const { tree } = fc.letrec<{ tree: FilterInit }>((tie) => ({
    tree: fc.oneof(
      { maxDepth: 4, depthIdentifier: "filter" },
      { weight: 4, arbitrary: leaf },
      { weight: 1, arbitrary: fc.constant(node({ case: "always", value: true })) },
      { weight: 1, arbitrary: fc.constant(node({ case: "never", value: true })) },
      { weight: 2, arbitrary: tie("tree").map((inner) => node({ case: "not", value: inner })) },
      { weight: 2, arbitrary: list(tie("tree")).map((filters) => node({ case: "and", value: { filters } })) },
      { weight: 2, arbitrary: list(tie("tree")).map((filters) => node({ case: "or", value: { filters } })) },
    ),
  }));
  return tree;
}

function node(value: FilterInit["node"]): FilterInit {
  return { node: value };
}

function list(tree: fc.Arbitrary<unknown>) {
  return fc.array(tree as fc.Arbitrary<FilterInit>, {
    minLength: 1,
    maxLength: 3,
    depthIdentifier: "filter",
  });
}

function uniqueBy<T>(items: T[], key: (item: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((item) => !seen.has(key(item)) && seen.add(key(item)));
}
