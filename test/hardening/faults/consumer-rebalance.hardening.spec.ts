import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitFor } from "../../harness/wait-for.ts";
import { startLoad } from "../../scale/load.ts";
import { hardeningScale, reportFigures } from "../figures.ts";
import { awaitConvergence, converged, zeroFaults } from "./convergence.ts";
import { withAdmin } from "./event-log.ts";
import { startFaultStack, type FaultStack, type ServiceProcess } from "./fault-stack.ts";
import { afterMoreBatches, runLoad, unconfirmedVersions } from "./load-phases.ts";
import { createTimeline } from "./timeline.ts";

const full = hardeningScale() === "full";
const batchesPerPhase = full ? 150 : 12;
const note = createTimeline("consumer rebalance");

describe("fault: a projector consumer joins and leaves the group mid-stream", () => {
  let stack: FaultStack;
  let command: ServiceProcess;
  let groupId: string;

  const members = () =>
    withAdmin(stack.brokers, async (admin) => {
      const { groups } = await admin.describeGroups([groupId]);
      return groups[0]?.members.filter((member) => member.memberAssignment.length > 0).length ?? 0;
    });

  beforeAll(async () => {
    stack = await startFaultStack({ label: "consumer-rebalance" });
    groupId = `${stack.topicPrefix}.query-service.projector`;
    [command] = await Promise.all([stack.startCommand(), stack.startQuery()]);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it("projects every event exactly once across both rebalances", async () => {
    const load = startLoad({ targets: [command.address], workers: 2, token: stack.auth.token });
    const report = await runLoad(load, async () => {
      await afterMoreBatches(load, batchesPerPhase, "one projector");
      const joiner = await stack.startQuery();
      await waitFor(async () => (await members()) === 2, {
        timeoutMs: 120_000,
        description: "the second projector to get partitions",
      });
      note(`${joiner.name} joined the group after ${load.confirmedBatches()} batches`);
      await afterMoreBatches(load, batchesPerPhase, "two projectors");
      // A clean stop: the member leaves the group and its partitions move at once.
      await joiner.server.stop();
      await waitFor(async () => (await members()) === 1, {
        timeoutMs: 120_000,
        description: "the group to shrink back to one projector",
      });
      note(`${joiner.name} left the group after ${load.confirmedBatches()} batches`);
      await afterMoreBatches(load, batchesPerPhase, "one projector again");
    });
    expect(report.failures).toEqual([]);
    expect(await unconfirmedVersions(stack.writeUrl, report)).toEqual([]);

    const convergence = await awaitConvergence(stack);
    note("converged");
    expect(zeroFaults(convergence)).toEqual(converged);
    reportFigures("faults: projector consumer added and removed", {
      faults: 2,
      batches: load.confirmedBatches(),
      commands: report.commands,
      events: convergence.kafka.events,
      "rows verified": convergence.rowsVerified,
      lost: convergence.lostEvents.length,
      "applied twice": convergence.differences.length + convergence.versionMismatches.length,
    });
  });
});
