import { describe, expect, it } from "vitest";
import type { BatchCommand } from "./batch-command.ts";
import { dependencyOrder, dependencyWaves, planBatch } from "./batch-plan.ts";

const address = { line1: "l", line2: "", city: "c", postalCode: "p", country: "DE" };
let index = 0;
const at = <T extends Omit<BatchCommand, "index">>(command: T): BatchCommand => ({
  ...command,
  index: index++,
});
const createUser = (id: string) =>
  at({
    aggregateId: id,
    aggregateType: "USER",
    command: { type: "CreateUser", email: "e", firstName: "f", lastName: "l", roles: [] },
  });
const placeOrder = (id: string, customerId: string) =>
  at({
    aggregateId: id,
    aggregateType: "ORDER",
    command: { type: "PlaceOrder", customerId, orderDate: new Date(0), items: [], shippingAddress: address },
  });
const completeTask = (id: string) =>
  at({ aggregateId: id, aggregateType: "TASK", command: { type: "CompleteTask" } });

describe("planBatch", () => {
  it("groups by aggregate in order of first mention, keeping request order inside a group", () => {
    index = 0;
    const groups = planBatch([completeTask("t"), createUser("u"), completeTask("t")]);
    expect(groups.map((g) => [g.aggregateId, g.commands.map((c) => c.index)])).toEqual([
      ["t", [0, 2]],
      ["u", [1]],
    ]);
  });

  it("makes an order run after its customer's group, and only after groups of this batch", () => {
    index = 0;
    const groups = planBatch([placeOrder("o", "u"), placeOrder("p", "elsewhere"), createUser("u")]);
    expect(groups.map((g) => [g.aggregateId, g.runsAfter])).toEqual([
      ["o", ["u"]],
      ["p", []],
      ["u", []],
    ]);
    expect(groups[0]?.dependencies).toEqual([{ id: "u", type: "USER", role: "customer", commandIndex: 0 }]);
    expect(dependencyOrder(groups).map((g) => g.aggregateId)).toEqual(["u", "o", "p"]);
  });

  it("marks the groups of a dependency cycle and leaves them out of the dependency order", () => {
    index = 0;
    const groups = planBatch([placeOrder("a", "b"), placeOrder("b", "a"), createUser("u")]);
    expect(groups.map((g) => g.cycle)).toEqual([["a", "b", "a"], ["b", "a", "b"], undefined]);
    expect(dependencyOrder(groups).map((g) => g.aggregateId)).toEqual(["u"]);
  });

  it("puts each group in a wave after the waves of the groups it runs after, cycles in the first", () => {
    index = 0;
    const groups = planBatch([
      placeOrder("o", "u"),
      completeTask("t"),
      placeOrder("a", "b"),
      placeOrder("b", "a"),
      createUser("u"),
      placeOrder("p", "elsewhere"),
    ]);
    expect(dependencyWaves(groups).map((wave) => wave.map((g) => g.aggregateId))).toEqual([
      ["t", "a", "b", "u", "p"],
      ["o"],
    ]);
  });
});
