import { create, type MessageInitShape } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import type { BatchExecuteResponse } from "@conveyor/proto/conveyor/command/v1/batch_pb";
import { CommandSchema, type Command } from "@conveyor/proto/conveyor/command/v1/commands_pb";
import { UserStatus } from "@conveyor/proto/conveyor/types/v1/types_pb";
import { v7 as uuidv7 } from "uuid";

interface Tracked {
  id: string;
  /** The version the write model has after every command sent so far succeeded. */
  version: bigint;
}
interface TrackedUser extends Tracked {
  status: UserStatus;
}
interface TrackedOrder extends Tracked {
  paid: boolean;
}
interface TrackedTask extends Tracked {
  completed: boolean;
}

const address = { line1: "1 Scale Street", city: "Hamburg", postalCode: "20095", country: "DE" };
type Body = MessageInitShape<typeof CommandSchema>["command"];

/**
 * One load worker's aggregates and the next batch for them: new users, orders and tasks, and changes to
 * those created in earlier batches, each aggregate at most once per batch and with its expected version,
 * chosen so that every command is valid. Versions advance when a response confirms the batch.
 */
export class Workload {
  private readonly users: TrackedUser[] = [];
  private readonly orders: TrackedOrder[] = [];
  private readonly tasks: TrackedTask[] = [];
  private readonly doubtful = new Set<string>();
  private step = 0;

  /** The next batch: about two dozen commands over as many aggregates. */
  nextBatch(): Command[] {
    this.step += 1;
    const commands: Command[] = [];
    const add = (aggregate: Tracked, body: Body) =>
      commands.push(
        create(CommandSchema, {
          aggregateId: aggregate.id,
          expectedVersion: aggregate.version,
          command: body,
        }),
      );
    for (const user of this.pick(this.users, 3)) add(user, this.userChange(user));
    for (const order of this.pick(
      this.orders.filter((order) => !order.paid),
      4,
    ))
      add(order, this.orderChange(order));
    for (const task of this.pick(
      this.tasks.filter((task) => !task.completed),
      4,
    ))
      add(task, this.taskChange(task));
    for (const customer of this.pick(this.users, 3))
      add(this.track(this.orders, { paid: false }), this.newOrder(customer));
    for (let i = 0; i < 3; i += 1)
      add(this.track(this.users, { status: UserStatus.PENDING }), this.newUser());
    for (let i = 0; i < 3; i += 1) add(this.track(this.tasks, { completed: false }), this.newTask());
    return commands;
  }

  /** Moves every aggregate of a successful response to its new version; throws on a failed aggregate. */
  confirm(response: BatchExecuteResponse): void {
    const byId = new Map<string, Tracked>(
      [...this.users, ...this.orders, ...this.tasks].map((a) => [a.id, a]),
    );
    for (const result of response.results) {
      if (!result.success) throw new Error(`aggregate ${result.aggregateId} failed: ${result.errorMessage}`);
      byId.get(result.aggregateId)!.version = result.version;
    }
  }

  /**
   * Takes the aggregates of a batch whose outcome is unknown (its instance died holding its request id)
   * out of the workload: their versions are in doubt and later batches leave them alone.
   */
  abandon(commands: Command[]): void {
    const ids = new Set(commands.map((command) => command.aggregateId));
    for (const id of ids) this.doubtful.add(id);
    for (const list of [this.users, this.orders, this.tasks] as Tracked[][])
      list.splice(0, list.length, ...list.filter((aggregate) => !ids.has(aggregate.id)));
  }

  /** Every aggregate this worker created whose version is known, with the version the write model must have. */
  expectedVersions(): Map<string, bigint> {
    return new Map([...this.users, ...this.orders, ...this.tasks].map((a) => [a.id, a.version]));
  }

  /** Aggregates of abandoned batches. */
  inDoubt(): string[] {
    return [...this.doubtful];
  }

  private userChange(user: TrackedUser): Body {
    if (this.step % 2 === 0) return { case: "updateUserRoles", value: { roles: [`role-${this.step}`] } };
    user.status = user.status === UserStatus.ACTIVE ? UserStatus.SUSPENDED : UserStatus.ACTIVE;
    return { case: "updateUserStatus", value: { status: user.status } };
  }

  private orderChange(order: TrackedOrder): Body {
    if (order.version >= 4n) {
      order.paid = true;
      return { case: "markOrderPaid", value: {} };
    }
    return {
      case: "addOrderItem",
      value: { item: { sku: `SKU-${this.step}`, quantity: 2, unitPriceMinor: 150n } },
    };
  }

  private taskChange(task: TrackedTask): Body {
    if (task.version >= 3n) {
      task.completed = true;
      return { case: "completeTask", value: {} };
    }
    const executionDate = timestampFromDate(new Date(Date.UTC(2026, 0, 1) + this.step * 3_600_000));
    return { case: "setTaskExecutionDate", value: { executionDate } };
  }

  private newUser(): Body {
    const name = `u${this.step}-${Math.random().toString(36).slice(2, 10)}`;
    return {
      case: "createUser",
      value: { email: `${name}@scale.example`, firstName: "Scale", lastName: name },
    };
  }

  private newOrder(customer: Tracked): Body {
    const item = { sku: "SKU-0", quantity: 1, unitPriceMinor: 999n };
    return {
      case: "placeOrder",
      value: { customerId: customer.id, items: [item], shippingAddress: address },
    };
  }

  private newTask(): Body {
    return {
      case: "createTask",
      value: { title: `Task ${this.step}`, month: 1 + (this.step % 12), category: "scale" },
    };
  }

  private track<T extends Tracked>(list: T[], fields: Omit<T, keyof Tracked>): Tracked {
    const aggregate = { id: uuidv7(), version: 0n, ...fields } as T;
    list.push(aggregate);
    return aggregate;
  }

  /** Up to `count` distinct aggregates of `list` that this batch has not used yet, from the most recent. */
  private pick<T extends Tracked>(list: T[], count: number): T[] {
    return list
      .slice(-count * 3)
      .filter((_, i) => (i + this.step) % 3 === 0)
      .slice(0, count);
  }
}
