import { rm } from "node:fs/promises";
import { killProcess } from "../../../deploy/cluster/kill-process.ts";
import { startKafkaBroker, type KafkaCluster } from "../../../deploy/local/kafka.ts";
import { freePort } from "../../../deploy/local/ports.ts";
import { faultDir } from "./fault-dir.ts";

/** A single Kafka broker of a fault test's own, which the test may stop and start again. */
export interface RestartableKafka {
  /** Bootstrap brokers; the same across restarts (same ports, same data). */
  brokers: string[];
  isRunning(): boolean;
  /** Stops the broker, keeping its data: cleanly (SIGTERM), or as in a crash (SIGKILL) when `kill`. */
  stop(options?: { kill?: boolean }): Promise<void>;
  /** Starts it again on the same ports and data and resolves once clients can use it. */
  start(): Promise<void>;
  /** Stops it and removes its data. */
  remove(): Promise<void>;
}

/**
 * Starts a KRaft broker apart from the test run's shared one (which other suites use, so a test must
 * never stop it), on free ports, with its data under .cache/hardening/faults/.
 */
export async function startRestartableKafka(label: string): Promise<RestartableKafka> {
  const dir = await faultDir(`kafka-${label}`);
  const ports = { port: await freePort(), controllerPort: await freePort() };
  let broker: KafkaCluster | undefined = await startKafkaBroker({ dir, ...ports });
  const brokers = broker.brokers;
  return {
    brokers,
    isRunning: () => broker?.server?.isRunning() ?? false,
    async stop({ kill = false } = {}) {
      if (kill && broker?.server) await killProcess(broker.server);
      await broker?.stop();
      broker = undefined;
    },
    async start() {
      if (broker) return;
      // Formatted storage is kept: the broker comes back with its topics, offsets and consumer groups.
      broker = await startKafkaBroker({ dir, ...ports });
    },
    async remove() {
      await broker?.stop();
      broker = undefined;
      await rm(dir, { recursive: true, force: true });
    },
  };
}
