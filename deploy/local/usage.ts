import type { KafkaCluster } from "./kafka.ts";
import type { PostgresDatabases } from "./postgres.ts";

export interface Endpoints {
  commandPort: number;
  queryPort: number;
  /** Where each service's GET /metrics answers (Prometheus text format). */
  metricsPorts: { command: number | undefined; query: number | undefined };
  postgres: PostgresDatabases;
  kafka: KafkaCluster;
  /** The development token both services accept; undefined when the environment configured auth. */
  token?: string;
}

/** What the runner prints once everything listens: where things are, the token, and commands to try. */
export function usage({ commandPort, queryPort, metricsPorts, postgres, kafka, token }: Endpoints): string {
  const command = `127.0.0.1:${commandPort}`;
  const query = `127.0.0.1:${queryPort}`;
  const bufCurl = "npx buf curl --protocol grpc --http2-prior-knowledge";
  const exportUsers = `'{"options":{"chunkSize":100,"format":"EXPORT_FORMAT_NDJSON"}}'`;
  const header = `-H "authorization: Bearer ${token ?? "$CONVEYOR_TOKEN"}"`;
  return `
Conveyor is running (gRPC, server reflection and health on both ports):
  command-service  grpc://${command}   conveyor.command.v1.CommandService
  query-service    grpc://${query}   conveyor.query.v1.QueryService
  write database   ${redact(postgres.writeUrl)}
  read database    ${redact(postgres.readUrl)}
  kafka            ${kafka.brokers.join(",")}
  metrics          ${metricsUrl(metricsPorts.command)}   ${metricsUrl(metricsPorts.query)}   (command, query)
${authLines(token)}
Try (health and reflection need no token):
  grpcurl -plaintext ${command} list
  grpcurl -plaintext ${command} describe conveyor.command.v1.CommandService
  grpcurl -plaintext ${query} grpc.health.v1.Health/Check
  grpcurl -plaintext ${header} -d ${exportUsers} ${query} conveyor.query.v1.QueryService/ExportUsers
  ${bufCurl} --list-methods http://${command}
  ${bufCurl} ${header} -d ${exportUsers} http://${query}/conveyor.query.v1.QueryService/ExportUsers
  CONVEYOR_TOKEN=${token ?? "..."} npx conveyor export users --format ndjson --out users.ndjson

Ctrl-C stops the services, then Kafka, then PostgreSQL.
`;
}

function authLines(token: string | undefined): string {
  if (!token) return "  auth             as configured by AUTH_TOKENS_FILE / AUTH_TOKENS / AUTH_DISABLED\n";
  return `  dev token        ${token}
                   (principal "developer", every permission; kept in .cache/dev-token)
                   send it as: -H "authorization: Bearer ${token}"
`;
}

function metricsUrl(port: number | undefined): string {
  return port === undefined ? "(not reported)" : `http://127.0.0.1:${port}/metrics`;
}

function redact(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = "***";
  return parsed.toString();
}
