import { orderAggregate } from "../order/order-aggregate.ts";
import { taskAggregate } from "../task/task-aggregate.ts";
import { userAggregate } from "../user/user-aggregate.ts";
import type { AggregateKind, AggregateState } from "./aggregate-kind.ts";
import type { AggregateTypeName, DomainCommand } from "./batch-command.ts";

/** Any aggregate kind; a group only ever hands a kind the commands of its own type. */
export type AnyAggregateKind = AggregateKind<AggregateState, DomainCommand, unknown>;

export const aggregateKinds: Record<AggregateTypeName, AnyAggregateKind> = {
  USER: userAggregate,
  ORDER: orderAggregate,
  TASK: taskAggregate,
};
