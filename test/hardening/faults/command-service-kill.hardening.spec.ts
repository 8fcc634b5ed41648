import { eventTopics } from "@conveyor/messaging";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { killProcess } from "../../../deploy/cluster/kill-process.ts";
import { freePort } from "../../../deploy/local/ports.ts";
import { waitFor } from "../../harness/wait-for.ts";
import { startLoad } from "../../scale/load.ts";
import { hardeningScale, reportFigures } from "../figures.ts";
import { endSessions, holdLocks, lockWaiters } from "./backends.ts";
import { awaitConvergence, converged, zeroFaults } from "./convergence.ts";
import { messageCount } from "./event-log.ts";
import { startFaultStack, type FaultStack } from "./fault-stack.ts";
import { afterMoreBatches, outboxBacklog, runLoad, unconfirmedVersions } from "./load-phases.ts";
import { createTimeline } from "./timeline.ts";

const full = hardeningScale() === "full";
// Full: more than one relay round (2,000 rows), so the kill lands after the first round's acknowledgement.
const backlogBatches = full ? 150 : 20;
const workers = 2;
const note = createTimeline("command-service kill");

describe("fault: command-service SIGKILLed after Kafka acknowledged a round and before it deleted the outbox rows", () => {
  let stack: FaultStack;

  beforeAll(async () => {
    stack = await startFaultStack({ label: "command-service-kill" });
    await stack.startQuery();
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it("republishes the round (duplicates on Kafka), the projector applies each event once, nothing is lost", async () => {
    // 1. A backlog: an instance whose relay cannot reach Kafka accepts batches; their events wait in the outbox.
    const cutOff = await stack.startCommand({ KAFKA_BROKERS: `127.0.0.1:${await freePort()}` });
    const first = startLoad({ targets: [cutOff.address], workers, token: stack.auth.token });
    const before = await runLoad(first, () => afterMoreBatches(first, backlogBatches, "backlog"));
    await killProcess(cutOff.server);
    const backlog = await outboxBacklog(stack.writeUrl);
    expect(backlog).toBe(before.commands);
    note(`${backlog} events wait in the outbox`);

    // 2. The rows are locked, so the next relay's DELETE waits right after Kafka acknowledged its round.
    const locks = await holdLocks(stack.writeUrl, "SELECT id FROM outbox FOR UPDATE");
    let published = 0;
    try {
      const victim = await stack.startCommand();
      const waiters = await waitFor(
        async () => {
          const pids = await lockWaiters(stack.writeUrl, "conveyor-outbox-relay");
          return pids.length > 0 ? pids : undefined;
        },
        { timeoutMs: 120_000, description: "the relay to publish a round and wait to delete its rows" },
      );
      published = await messageCount(stack.brokers, eventTopics(stack.topics));
      note(`relay published ${published} events and waits to delete them; SIGKILL`);
      await killProcess(victim.server);
      await endSessions(stack.writeUrl, waiters);
    } finally {
      await locks.release();
    }
    expect(published).toBe(Math.min(backlog, 2000));
    expect(await outboxBacklog(stack.writeUrl)).toBe(backlog);

    // 3. A new instance republishes the whole outbox and takes new batches.
    const successor = await stack.startCommand();
    const second = startLoad({ targets: [successor.address], workers, token: stack.auth.token });
    const after = await runLoad(second, () => afterMoreBatches(second, 5, "after the restart"));
    for (const report of [before, after]) {
      expect(report.failures).toEqual([]);
      expect(await unconfirmedVersions(stack.writeUrl, report)).toEqual([]);
    }

    const convergence = await awaitConvergence(stack);
    note("converged");
    expect(zeroFaults(convergence)).toEqual(converged);
    // Every event of the acknowledged round is on Kafka twice; the read model shows each once.
    expect(convergence.kafka.duplicates).toBe(published);
    reportFigures("faults: command-service kill before outbox delete", {
      faults: 1,
      commands: before.commands + after.commands,
      "events acknowledged before the kill": published,
      "duplicates on Kafka": convergence.kafka.duplicates,
      events: convergence.kafka.events,
      "rows verified": convergence.rowsVerified,
      lost: convergence.lostEvents.length,
      "applied twice": convergence.differences.length + convergence.versionMismatches.length,
    });
  });
});
