import { describe, expect, it } from "vitest";
import { InvariantViolation } from "@conveyor/errors";
import {
  bulkCommand,
  columnMap,
  fieldEquals,
  named,
  SqlParameters,
  sqlContext,
  type BulkCommand,
  type Specification,
} from "./index.ts";

type Status = "OPEN" | "DONE" | "LOCKED";
interface Ticket {
  id: string;
  status: Status;
  queue: string;
  note: string | null;
}
type Closed = { type: "Closed"; previous: Status; note: string };

const columns = columnMap<Ticket>({
  status: { name: "status", type: "text" },
  queue: { name: "queue", type: "text" },
  note: { name: "note", type: "text", nullable: true },
});
const isLocked = fieldEquals<Ticket, "status">("status", "LOCKED");

function closeTickets(
  note: string,
  ...restrictions: Specification<Ticket>[]
): BulkCommand<Ticket, Closed, "status"> {
  return bulkCommand(
    {
      name: "CloseTickets",
      preconditions: [named("the ticket not to be locked", isLocked.not())],
      assignments: { status: "DONE", note },
      event: (before) => ({ type: "Closed", previous: before.status, note }),
      eventVariesWith: { status: ["OPEN", "DONE", "LOCKED"] },
    },
    restrictions,
  );
}

const ticket = (status: Status, queue = "q1", note: string | null = null): Ticket => ({
  id: "t1",
  status,
  queue,
  note,
});
const inQueue = (queue: string) => fieldEquals<Ticket, "queue">("queue", queue);

describe("bulkCommand", () => {
  it("applies itself in memory, returning the new state and its event", () => {
    expect(closeTickets("bye").execute(ticket("OPEN"))).toEqual({
      changed: true,
      state: ticket("DONE", "q1", "bye"),
      event: { type: "Closed", previous: "OPEN", note: "bye" },
    });
  });

  it("refuses an aggregate that fails a baked-in precondition, naming it", () => {
    expect(() => closeTickets("bye").execute(ticket("LOCKED"))).toThrow(
      new InvariantViolation("cannot apply CloseTickets to t1: it requires the ticket not to be locked"),
    );
  });

  it("keeps its preconditions whatever restrictions a caller adds", () => {
    const command = closeTickets("bye", inQueue("q1"));
    expect(command.selection.isSatisfiedBy(ticket("LOCKED", "q1"))).toBe(false);
    expect(command.classify(ticket("LOCKED", "q1"))).toBe("precondition-failed");
    expect(command.classify(ticket("OPEN", "q2"))).toBe("unmatched");
    expect(() => command.execute(ticket("OPEN", "q2"))).toThrow(/it requires queue = "q1"/);
  });

  it("changes nothing, and has no event, when every assigned field already holds its value", () => {
    const command = closeTickets("bye");
    expect(command.classify(ticket("DONE", "q1", "bye"))).toBe("unchanged");
    expect(command.execute(ticket("DONE", "q1", "bye"))).toEqual({
      changed: false,
      state: ticket("DONE", "q1", "bye"),
    });
    expect(command.classify(ticket("DONE", "q1", "other"))).toBe("changed");
  });

  it("renders its SET clause and selection with bound values only", () => {
    const parameters = new SqlParameters();
    const sql = sqlContext(columns, parameters, "t");
    const command = closeTickets("it's done", inQueue("q1"));
    expect(command.setClause(sql)).toBe('"status" = $1::text, "note" = $2::text');
    expect(command.selection.toSql(sql)).toBe(
      '(("t"."queue" = $3::text) AND (NOT ("t"."status" = $4::text)) AND (NOT (("t"."status" = $5::text) AND ("t"."note" = $6::text AND "t"."note" IS NOT NULL))))',
    );
    expect(parameters.values).toEqual(["DONE", "it's done", "q1", "LOCKED", "DONE", "it's done"]);
  });

  it("renders assigning null as NULL, and treats a null field as already cleared", () => {
    const clear = bulkCommand<Ticket, { type: "Cleared" }>({
      name: "ClearNotes",
      preconditions: [],
      assignments: { note: null },
      event: () => ({ type: "Cleared" }),
      eventVariesWith: {},
    });
    expect(clear.setClause(sqlContext(columns, new SqlParameters()))).toBe('"note" = NULL');
    expect(clear.classify(ticket("OPEN", "q1", null))).toBe("unchanged");
    expect(clear.classify(ticket("OPEN", "q1", "x"))).toBe("changed");
  });

  it("lists one event per value of the fields the event reads", () => {
    expect(
      closeTickets("bye")
        .eventVariants()
        .map((variant) => variant.event.previous),
    ).toEqual(["OPEN", "DONE", "LOCKED"]);
    expect(closeTickets("bye").eventFields).toEqual(["status"]);
  });

  it("refuses a command that assigns nothing", () => {
    expect(() =>
      bulkCommand<Ticket, never>({
        name: "Nothing",
        preconditions: [],
        assignments: {},
        event: () => undefined as never,
        eventVariesWith: {},
      }),
    ).toThrow(/assigns nothing/);
  });
});
