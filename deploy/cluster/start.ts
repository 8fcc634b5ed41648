// `npx tsx deploy/cluster/start.ts`: a three-broker Kafka quorum, PostgreSQL, two command-service and three
// query-service instances on this machine; Ctrl-C stops everything and removes the data.
import { integer } from "@conveyor/runtime";
import { startCluster, type Cluster } from "./cluster.ts";
import { clusterUsage } from "./cluster-usage.ts";

const log = (message: string): void => console.log(`[cluster] ${message}`);
const quiet = process.env.CLUSTER_QUIET === "1";
let running: Cluster | undefined;
let stopping = false;

async function main(): Promise<void> {
  for (const signal of ["SIGINT", "SIGTERM"] as const)
    process.on(signal, () => void stop(0, `received ${signal}`));
  log("starting Kafka (3 nodes), PostgreSQL and the services");
  running = await startCluster({
    commandInstances: integer(process.env, "CLUSTER_COMMAND_INSTANCES", 2),
    queryInstances: integer(process.env, "CLUSTER_QUERY_INSTANCES", 3),
    partitions: integer(process.env, "CLUSTER_PARTITIONS", 6),
    topicPrefix: process.env.KAFKA_TOPIC_PREFIX,
    onLine: (source, line) => {
      if (!quiet) console.log(`[${source}] ${line}`);
    },
  });
  console.log(clusterUsage(running));
  const services = [...running.commands, ...running.queries];
  await Promise.all(
    services.map(async (instance) => log(`${instance.name} ${await instance.server.exited}`)),
  );
  await stop(1, "every service instance has ended");
}

async function stop(exitCode: number, reason: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  log(`${reason}: stopping`);
  await running?.stop().catch((error: unknown) => log(`could not stop everything: ${String(error)}`));
  log("stopped");
  process.exit(exitCode);
}

main().catch((error: unknown) => {
  console.error(error);
  return stop(1, "could not start");
});
