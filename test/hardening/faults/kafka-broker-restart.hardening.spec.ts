import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLoad } from "../../scale/load.ts";
import { hardeningScale, reportFigures } from "../figures.ts";
import { awaitConvergence, converged, zeroFaults } from "./convergence.ts";
import { startFaultStack, type FaultStack, type ServiceProcess } from "./fault-stack.ts";
import { afterMoreBatches, outboxBacklog, runLoad, unconfirmedVersions } from "./load-phases.ts";
import { createTimeline } from "./timeline.ts";
import { startRestartableKafka, type RestartableKafka } from "./restartable-kafka.ts";

const full = hardeningScale() === "full";
const batchesPerPhase = full ? 150 : 12;
const workers = full ? 4 : 1;

const note = createTimeline("Kafka broker restart");

describe("fault: the Kafka broker stops during a stream of batches and starts again", () => {
  let kafka: RestartableKafka;
  let stack: FaultStack;
  let services: ServiceProcess[];

  beforeAll(async () => {
    // A broker of this test's own: the run's shared one serves other suites.
    kafka = await startRestartableKafka("broker-restart");
    stack = await startFaultStack({ label: "kafka-broker-restart", kafkaBrokers: kafka.brokers });
    services = await Promise.all([stack.startCommand(), stack.startQuery()]);
    note("broker and services started");
  });

  afterAll(async () => {
    await stack?.stop();
    await kafka?.remove();
  });

  it("keeps accepting batches, then publishes and projects every event exactly once", async () => {
    const [command] = services;
    const load = startLoad({ targets: [command!.address], workers, token: stack.auth.token });
    let backlogWhileDown = 0;
    const report = await runLoad(load, async () => {
      await afterMoreBatches(load, batchesPerPhase, "before the outage");
      note(`stopping the broker after ${load.confirmedBatches()} batches`);
      await kafka.stop({ kill: true });
      await afterMoreBatches(load, batchesPerPhase, "while the broker is down");
      backlogWhileDown = await outboxBacklog(stack.writeUrl);
      note(`starting the broker; ${backlogWhileDown} events wait in the outbox`);
      await kafka.start();
      note("the broker is back");
      await afterMoreBatches(load, batchesPerPhase, "after the broker is back");
    });
    note(`load stopped after ${load.confirmedBatches()} batches`);
    expect(report.failures).toEqual([]);
    expect(report.abandoned).toEqual([]);
    // Writes went on without Kafka: their events waited in the outbox.
    expect(backlogWhileDown).toBeGreaterThan(0);
    expect(await unconfirmedVersions(stack.writeUrl, report)).toEqual([]);

    const convergence = await awaitConvergence(stack);
    note("converged");
    expect(zeroFaults(convergence)).toEqual(converged);
    for (const service of services) expect(service.server.isRunning()).toBe(true);
    reportFigures("faults: Kafka broker restart", {
      faults: 1,
      batches: load.confirmedBatches(),
      commands: report.commands,
      retries: report.retries,
      "outbox backlog during outage": backlogWhileDown,
      events: convergence.kafka.events,
      "rows verified": convergence.rowsVerified,
      lost: convergence.lostEvents.length,
      "applied twice": convergence.differences.length + convergence.versionMismatches.length,
    });
  });
});
