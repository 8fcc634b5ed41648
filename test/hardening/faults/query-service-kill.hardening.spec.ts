import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { killProcess } from "../../../deploy/cluster/kill-process.ts";
import { waitFor } from "../../harness/wait-for.ts";
import { startLoad } from "../../scale/load.ts";
import { hardeningScale, reportFigures } from "../figures.ts";
import { endSessions, holdLocks, lockWaiters } from "./backends.ts";
import { awaitConvergence, converged, zeroFaults } from "./convergence.ts";
import { startFaultStack, type FaultStack, type ServiceProcess } from "./fault-stack.ts";
import { afterMoreBatches, runLoad, unconfirmedVersions } from "./load-phases.ts";
import { createTimeline } from "./timeline.ts";

const full = hardeningScale() === "full";
const batches = full ? 300 : 25;
const note = createTimeline("query-service kill");

describe("fault: query-service SIGKILLed in the middle of a projection batch, then started again", () => {
  let stack: FaultStack;
  let command: ServiceProcess;

  beforeAll(async () => {
    stack = await startFaultStack({ label: "query-service-kill" });
    command = await stack.startCommand();
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it("rolls the open batch back and converges exactly after the restart", async () => {
    // Events wait on Kafka for a projector that is not running yet.
    const load = startLoad({ targets: [command.address], workers: 2, token: stack.auth.token });
    const report = await runLoad(load, () => afterMoreBatches(load, batches, "events to project"));
    expect(report.failures).toEqual([]);

    // With read_tasks locked against writes, a tasks batch stops mid-transaction: its position row
    // already claimed, its rows not yet written. That is where the process dies.
    const locks = await holdLocks(stack.readUrl, "LOCK TABLE read_tasks IN SHARE MODE");
    try {
      const victim = await stack.startQuery();
      const waiters = await waitFor(
        async () => {
          const pids = await lockWaiters(stack.readUrl, "conveyor-query-service");
          return pids.length > 0 ? pids : undefined;
        },
        { timeoutMs: 120_000, description: "a projection batch to stop on the locked table" },
      );
      note(`a projection batch is mid-transaction; SIGKILL ${victim.name}`);
      await killProcess(victim.server);
      // As PostgreSQL would once it noticed the client gone: the open transaction is rolled back.
      await endSessions(stack.readUrl, waiters);
    } finally {
      await locks.release();
    }

    // The successor waits for the killed member's session to time out before it gets every partition.
    await stack.startQuery();
    const convergence = await awaitConvergence(stack);
    note("converged");
    expect(zeroFaults(convergence)).toEqual(converged);
    expect(await unconfirmedVersions(stack.writeUrl, report)).toEqual([]);
    reportFigures("faults: query-service kill mid-batch", {
      faults: 1,
      commands: report.commands,
      events: convergence.kafka.events,
      "rows verified": convergence.rowsVerified,
      lost: convergence.lostEvents.length,
      "applied twice": convergence.differences.length + convergence.versionMismatches.length,
    });
  });
});
