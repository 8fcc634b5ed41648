import type { MessageInitShape } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { TransactionMode } from "@conveyor/proto/conveyor/command/v1/batch_pb";
import type { BulkUpdateRequestSchema, FilterSchema } from "@conveyor/proto/conveyor/command/v1/bulk_pb";
import type { CommandSchema } from "@conveyor/proto/conveyor/command/v1/commands_pb";
import { UserStatus } from "@conveyor/proto/conveyor/types/v1/types_pb";
import { v7 as uuidv7 } from "uuid";
import type { Prng } from "../fuzz/prng.ts";
import type { AggregateKind, AggregatePool, PooledAggregate } from "./aggregate-pool.ts";

export type CommandInit = MessageInitShape<typeof CommandSchema>;
export type BulkInit = MessageInitShape<typeof BulkUpdateRequestSchema>;
type FilterInit = MessageInitShape<typeof FilterSchema>;
type Body = CommandInit["command"];

export interface BatchPlan {
  kind: "batch";
  requestId: string;
  commands: CommandInit[];
  allOrNothing: boolean;
  /** Sent as BatchExecuteStream instead of BatchExecute. */
  streamed: boolean;
  /** Aggregates this batch creates, to pool once a response confirms them. */
  creates: Map<string, AggregateKind>;
}

export interface BulkPlan {
  kind: "bulk";
  request: BulkInit & { requestId: string };
}

export type LoadPlan = BatchPlan | BulkPlan;

/** Email domains of load users: bulk suspensions select users by domain. */
export const userDomains = ["d0.load.example", "d1.load.example", "d2.load.example", "d3.load.example"];
export const taskCategories = ["alpha", "beta", "gamma"];
const roles = ["buyer", "seller", "admin", "auditor"];
// Few distinct dates, so some SetTaskExecutionDate commands change nothing (no event, no version bump).
const dates = Array.from({ length: 6 }, (_, i) => timestampFromDate(new Date(Date.UTC(2026, i, 1, 9))));
const address = (prng: Prng) => ({
  line1: `${prng.int(1, 999)} Load Street`,
  city: prng.pick(["Berlin", "Hamburg", "Paris"]),
  postalCode: String(prng.int(10000, 99999)),
  country: prng.pick(["DE", "FR"]),
});
const item = (prng: Prng) => ({
  sku: `SKU-${prng.int(1, 50)}`,
  quantity: prng.int(1, 5),
  unitPriceMinor: BigInt(prng.int(1, 100_000)),
});

/** The first batches: users, their orders and tasks for the load to work on. */
export function seedBatches(users: number, ordersPerUser: number, tasks: number, prng: Prng): BatchPlan[] {
  const userIds = Array.from({ length: users }, () => uuidv7());
  const plan = (commands: CommandInit[], creates: Map<string, AggregateKind>): BatchPlan => ({
    kind: "batch",
    requestId: uuidv7(),
    commands,
    allOrNothing: true,
    streamed: false,
    creates,
  });
  const orders = userIds.flatMap((customer) =>
    Array.from({ length: ordersPerUser }, () => [uuidv7(), placeOrder(customer, prng)] as const),
  );
  const taskIds = Array.from({ length: tasks }, () => uuidv7());
  return [
    plan(
      userIds.map((id) => command(id, 0n, newUser(prng))),
      new Map(userIds.map((id) => [id, "user"])),
    ),
    plan(
      [
        ...orders.map(([id, body]) => command(id, 0n, body)),
        ...taskIds.map((id) => command(id, 0n, newTask(prng))),
      ],
      new Map([
        ...orders.map(([id]) => [id, "order"] as const),
        ...taskIds.map((id) => [id, "task"] as const),
      ]),
    ),
  ];
}

/**
 * A random batch over the shared pool: changes with a fresh, stale, wrong or no expected version, runs of
 * dependent commands on one aggregate, and new aggregates with commands that depend on them (a user and
 * an order for that user, a task and its execution date).
 */
export function nextBatch(prng: Prng, pool: AggregatePool): BatchPlan {
  const commands: CommandInit[] = [];
  const creates = new Map<string, AggregateKind>();
  for (let i = prng.int(2, 10); i > 0; i -= 1) {
    const kind = prng.weighted<AggregateKind>([
      [2, "user"],
      [4, "order"],
      [4, "task"],
    ]);
    const candidates = pool.of(kind, kind === "user" ? undefined : 150);
    if (candidates.length === 0) continue;
    const aggregate = prng.pick(candidates);
    const run = prng.chance(0.2) ? prng.int(2, 3) : 1;
    for (let j = 0; j < run; j += 1)
      commands.push(
        command(aggregate.id, j === 0 ? expectedVersion(prng, aggregate) : undefined, change(prng, kind)),
      );
  }
  if (prng.chance(0.4)) {
    const user = uuidv7();
    creates.set(user, "user");
    commands.push(command(user, 0n, newUser(prng)));
    if (prng.chance(0.7)) {
      const order = uuidv7();
      creates.set(order, "order");
      commands.push(command(order, 0n, placeOrder(user, prng)));
      if (prng.chance(0.5)) commands.push(command(order, undefined, change(prng, "order")));
    }
  }
  if (prng.chance(0.4) && pool.of("user").length > 0) {
    const order = uuidv7();
    creates.set(order, "order");
    commands.push(command(order, 0n, placeOrder(prng.pick(pool.of("user")).id, prng)));
  }
  if (prng.chance(0.4)) {
    const task = uuidv7();
    creates.set(task, "task");
    commands.push(command(task, prng.chance(0.5) ? 0n : undefined, newTask(prng)));
    if (prng.chance(0.5)) commands.push(command(task, 1n, setExecutionDate(prng)));
  }
  return {
    kind: "batch",
    requestId: uuidv7(),
    commands: prng.chance(0.3) ? shuffleGroups(prng, commands) : commands,
    allOrNothing: prng.chance(0.15),
    streamed: prng.chance(0.25),
    creates,
  };
}

/** The batch as a BatchExecute request. */
export function batchRequest(plan: BatchPlan) {
  return {
    requestId: plan.requestId,
    commands: plan.commands,
    options: {
      transactionMode: plan.allOrNothing ? TransactionMode.ALL_OR_NOTHING : TransactionMode.PER_AGGREGATE,
    },
  };
}

/** A random bulk update over the same aggregates: some dry runs, some split into key ranges. */
export function nextBulk(prng: Prng, pool: AggregatePool): BulkPlan {
  const common = {
    requestId: uuidv7(),
    dryRun: prng.chance(0.1),
    rangeSize: prng.chance(0.3) ? prng.int(3, 20) : 0,
  };
  const users = pool.of("user");
  const operation = prng.weighted<"tasks" | "users" | "orders">([
    [5, "tasks"],
    [2, "users"],
    [users.length > 0 ? 2 : 0, "orders"],
  ]);
  switch (operation) {
    case "tasks":
      return {
        kind: "bulk",
        request: {
          ...common,
          filter: taskFilter(prng),
          operation: { case: "setTaskExecutionDate", value: { executionDate: prng.pick(dates) } },
        },
      };
    case "users":
      return {
        kind: "bulk",
        request: {
          ...common,
          filter: and(
            {
              node: {
                case: "user",
                value: { predicate: { case: "emailDomain", value: prng.pick(userDomains) } },
              },
            },
            prng.chance(0.5)
              ? { node: { case: "user", value: { predicate: { case: "role", value: prng.pick(roles) } } } }
              : { node: { case: "always", value: true } },
          ),
          operation: { case: "suspendUsers", value: {} },
        },
      };
    case "orders":
      return {
        kind: "bulk",
        request: {
          ...common,
          filter: {
            node: {
              case: "order",
              value: { predicate: { case: "customerId", value: prng.pick(users).id } },
            },
          },
          operation: { case: "cancelOrders", value: { reason: "load test" } },
        },
      };
  }
}

function taskFilter(prng: Prng): FilterInit {
  const month: FilterInit = {
    node: { case: "task", value: { predicate: { case: "month", value: prng.int(1, 12) } } },
  };
  const category: FilterInit = {
    node: { case: "task", value: { predicate: { case: "category", value: prng.pick(taskCategories) } } },
  };
  return prng.chance(0.5)
    ? and(month, category)
    : { node: { case: "or", value: { filters: [month, category] } } };
}

function and(...filters: FilterInit[]): FilterInit {
  return { node: { case: "and", value: { filters } } };
}

function command(aggregateId: string, expectedVersion: bigint | undefined, body: Body): CommandInit {
  return expectedVersion === undefined
    ? { aggregateId, command: body }
    : { aggregateId, expectedVersion, command: body };
}

// Mostly the newest version seen (stale when another client got there first), sometimes none, sometimes
// one that is surely wrong.
function expectedVersion(prng: Prng, aggregate: PooledAggregate): bigint | undefined {
  return prng.weighted<bigint | undefined>([
    [55, aggregate.knownVersion],
    [30, undefined],
    [15, aggregate.knownVersion + BigInt(prng.pick([-1, 1, 2]))],
  ]);
}

function change(prng: Prng, kind: AggregateKind): Body {
  switch (kind) {
    case "user":
      return prng.weighted<() => Body>([
        [
          3,
          () => ({
            case: "updateUserStatus",
            value: { status: prng.pick([UserStatus.ACTIVE, UserStatus.SUSPENDED]) },
          }),
        ],
        [3, () => ({ case: "updateUserRoles", value: { roles: [prng.pick(roles), prng.pick(roles)] } })],
        [1, () => ({ case: "updateUserEmail", value: { email: email(prng) } })],
      ])();
    case "order":
      return prng.weighted<() => Body>([
        [5, () => ({ case: "addOrderItem", value: { item: item(prng) } })],
        [3, () => ({ case: "changeShippingAddress", value: { shippingAddress: address(prng) } })],
        [1, () => ({ case: "markOrderPaid", value: {} })],
        [1, () => ({ case: "shipOrder", value: {} })],
        [0.5, () => ({ case: "cancelOrder", value: { reason: "changed my mind" } })],
      ])();
    case "task":
      return prng.chance(0.9) ? setExecutionDate(prng) : { case: "completeTask", value: {} };
  }
}

function setExecutionDate(prng: Prng): Body {
  return { case: "setTaskExecutionDate", value: { executionDate: prng.pick(dates) } };
}

function newUser(prng: Prng): Body {
  return {
    case: "createUser",
    value: {
      email: email(prng),
      firstName: "Load",
      lastName: `L${prng.int(1, 9999)}`,
      roles: [prng.pick(roles)],
    },
  };
}

function placeOrder(customerId: string, prng: Prng): Body {
  return {
    case: "placeOrder",
    value: { customerId, items: [item(prng)], shippingAddress: address(prng) },
  };
}

function newTask(prng: Prng): Body {
  return {
    case: "createTask",
    value: {
      title: `Load task ${prng.int(1, 9999)}`,
      month: prng.int(1, 12),
      category: prng.pick(taskCategories),
    },
  };
}

function email(prng: Prng): string {
  return `load-${uuidv7()}@${prng.pick(userDomains)}`;
}

// Reorders whole aggregate groups (a group's commands keep their order): results come back in order of
// each aggregate's first command, and PlaceOrder must still wait for its customer's group.
function shuffleGroups(prng: Prng, commands: CommandInit[]): CommandInit[] {
  const groups = new Map<string, CommandInit[]>();
  for (const c of commands) groups.set(c.aggregateId!, [...(groups.get(c.aggregateId!) ?? []), c]);
  const ordered = [...groups.values()];
  for (let i = ordered.length - 1; i > 0; i -= 1) {
    const j = prng.int(0, i);
    [ordered[i], ordered[j]] = [ordered[j]!, ordered[i]!];
  }
  return ordered.flat();
}
