import type { Cluster } from "./cluster.ts";

/** What the cluster runner prints once everything listens: where each process is, and what to try. */
export function clusterUsage(cluster: Cluster): string {
  const instances = [...cluster.commands, ...cluster.queries]
    .map((instance) => `  ${instance.name.padEnd(10)} grpc://${instance.address}  pid ${instance.server.pid}`)
    .join("\n");
  const nodes = cluster.kafka.nodes
    .map(
      (node) =>
        `  kafka-${node.nodeId}    ${node.broker}  controller :${node.controllerPort}  pid ${node.server.pid}`,
    )
    .join("\n");
  const [command, query] = [cluster.commands[0]!.address, cluster.queries[0]!.address];
  return `
Conveyor cluster is running (data and logs in ${cluster.dir}):
${nodes}
${instances}
  write database   ${redact(cluster.postgres.writeUrl)}
  read database    ${redact(cluster.postgres.readUrl)}
  topics           ${cluster.topicPrefix}.{users,orders,tasks}.v1, ${cluster.partitions} partitions, replication factor 3

Try:
  grpcurl -plaintext ${command} list
  grpcurl -plaintext -d '{"options":{"format":"EXPORT_FORMAT_NDJSON"}}' ${query} conveyor.query.v1.QueryService/ExportUsers
  kill -9 <a kafka pid>     # the cluster keeps serving: min.insync.replicas=2 of 3
  kill -9 <a command pid>   # if it held the relay lock, the other instance takes over within a second

Ctrl-C stops the services, then Kafka, then PostgreSQL, and removes the data.
`;
}

function redact(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = "***";
  return parsed.toString();
}
