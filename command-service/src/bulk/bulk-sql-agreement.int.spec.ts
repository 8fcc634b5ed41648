import { create } from "@bufbuild/protobuf";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FilterSchema } from "@conveyor/proto/conveyor/command/v1/bulk_pb";
import { filterSpecification } from "../api/bulk-filter-mapping.ts";
import { runBulkUpdate } from "./bulk-updater.ts";
import { filterTree } from "./testing/arbitraries.ts";
import {
  byId,
  orderCase,
  selectIds,
  taskCase,
  userCase,
  type AgreementCase,
} from "./testing/agreement-cases.ts";
import { loadOutbox } from "./testing/aggregate-rows.ts";
import { writeDatabaseForFile } from "./testing/write-database-fixture.ts";

// Random aggregates and random filter trees (hostile strings in every text value, dates on the filter
// boundaries) against real PostgreSQL: the SQL form of every specification must select exactly what
// its in-memory form accepts, and a bulk update must leave exactly the state, counts and events that
// applying the command in memory to each aggregate gives.

const file = writeDatabaseForFile("bulk_agreement", 3);

const runs = { numRuns: 40 };

describe.each([taskCase, userCase, orderCase] as const)("$name", (testCase) => agreement(testCase as never));

function agreement<
  T extends { id: string; version: number },
  E,
  P,
  K extends keyof T,
  C extends "task" | "user" | "order",
>(testCase: AgreementCase<T, E, P, K, C>) {
  const filter = filterTree(testCase.leaf);

  it("selects in SQL exactly the aggregates the specification accepts in memory", async () => {
    await fc.assert(
      fc.asyncProperty(
        testCase.aggregates,
        filter,
        testCase.parameter,
        async (aggregates, tree, parameter) => {
          await testCase.reset(file.db, aggregates);
          const restriction = filterSpecification(create(FilterSchema, tree), testCase.mapper);
          const { command } = testCase.operation(parameter, restriction);
          for (const spec of [
            restriction,
            command.preconditions,
            command.alreadyApplied,
            command.selection,
          ]) {
            const accepted = byId(aggregates.filter((aggregate) => spec.isSatisfiedBy(aggregate)));
            expect(await selectIds(file.db, testCase.table, spec)).toEqual(
              accepted.map((aggregate) => aggregate.id),
            );
          }
        },
      ),
      runs,
    );
  });

  it("leaves the state, counts and events that applying the command in memory gives", async () => {
    const rangeSize = fc.constantFrom(0, 0, 1, 3);
    const rangeConcurrency = fc.constantFrom(1, 2);
    await fc.assert(
      fc.asyncProperty(
        testCase.aggregates,
        filter,
        testCase.parameter,
        rangeSize,
        rangeConcurrency,
        async (aggregates, tree, parameter, size, concurrency) => {
          await testCase.reset(file.db, aggregates);
          const operation = testCase.operation(
            parameter,
            filterSpecification(create(FilterSchema, tree), testCase.mapper),
          );
          const options = {
            requestId: "agreement",
            dryRun: false,
            maxAffected: 1000,
            sampleSize: 10,
            rangeSize: size,
            rangeConcurrency: concurrency,
          };
          const result = await runBulkUpdate(file.db, operation, options);

          const outcomes = aggregates.map((aggregate) => operation.command.classify(aggregate));
          const changed = aggregates.flatMap((aggregate) => {
            if (operation.command.classify(aggregate) !== "changed") return [];
            const execution = operation.command.execute(aggregate);
            return execution.changed ? [{ before: aggregate, event: execution.event }] : [];
          });
          const expectedState = aggregates.map((aggregate) => {
            const change = changed.find((c) => c.before === aggregate);
            return change ? testCase.evolve(aggregate, change.event) : aggregate;
          });
          expect(await testCase.load(file.db)).toEqual(byId(expectedState));

          const count = (outcome: string) => outcomes.filter((o) => o === outcome).length;
          expect(result).toMatchObject({
            matched: aggregates.length - count("unmatched"),
            updated: count("changed"),
            skippedPrecondition: count("precondition-failed"),
            unchanged: count("unchanged"),
            eventsWritten: count("changed"),
          });

          const expectedEvents = changed.map(({ before, event }) => ({
            aggregate_type: testCase.table.aggregateType,
            aggregate_id: before.id,
            aggregate_version: String(before.version + 1),
            ...wireRow(operation.wire(event)),
            correlation_id: "agreement",
          }));
          expect(await loadOutbox(file.db)).toEqual(byAggregateId(expectedEvents));
        },
      ),
      runs,
    );
  });

  it("dry-runs exactly what the update then does, writing nothing", async () => {
    await fc.assert(
      fc.asyncProperty(
        testCase.aggregates,
        filter,
        testCase.parameter,
        async (aggregates, tree, parameter) => {
          await testCase.reset(file.db, aggregates);
          const operation = testCase.operation(
            parameter,
            filterSpecification(create(FilterSchema, tree), testCase.mapper),
          );
          const options = { requestId: "dry", dryRun: true, maxAffected: 1000, sampleSize: 3, rangeSize: 0 };
          const preview = await runBulkUpdate(file.db, operation, options);

          expect(await testCase.load(file.db)).toEqual(byId(aggregates));
          expect(await loadOutbox(file.db)).toEqual([]);
          const wouldChange = byId(
            aggregates.filter((aggregate) => operation.command.classify(aggregate) === "changed"),
          );
          expect(preview.sample.map((change) => change.aggregateId)).toEqual(
            wouldChange.slice(0, 3).map((a) => a.id),
          );
          const done = await runBulkUpdate(file.db, operation, { ...options, dryRun: false });
          expect({ ...preview, sample: [], eventsWritten: preview.updated, rangesCommitted: 1 }).toEqual(
            done,
          );
        },
      ),
      runs,
    );
  });
}

function wireRow(wire: { eventType: string; payload: object }) {
  return { event_type: wire.eventType, payload: JSON.parse(JSON.stringify(wire.payload)) as object };
}

function byAggregateId<R extends { aggregate_id: string }>(rows: R[]): R[] {
  return [...rows].sort((a, b) =>
    a.aggregate_id < b.aggregate_id ? -1 : a.aggregate_id > b.aggregate_id ? 1 : 0,
  );
}
