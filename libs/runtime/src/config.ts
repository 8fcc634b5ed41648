import { loadAuthSettings, type AuthSettings } from "./auth/auth-settings.ts";
import { type DatabaseLimits, loadDatabaseLimits } from "./limits/database-limits.ts";
import { loadServerLimits, type ServerLimits } from "./limits/server-limits.ts";

/** Environment-driven configuration shared by both services and the local runner. */
export interface ServiceConfig {
  /** PostgreSQL URL of the database this service owns. */
  databaseUrl: string;
  /** Kafka bootstrap brokers, e.g. ["127.0.0.1:9092"]. */
  kafkaBrokers: string[];
  /** Prefix of every topic name; tests use a unique one per run. */
  topicPrefix: string;
  /** Interface to listen on. */
  host: string;
  /** Port to listen on; 0 picks a free one. */
  port: number;
  /** Port of the Prometheus `GET /metrics` endpoint (METRICS_PORT); 0 or absent picks a free one. */
  metricsPort?: number;
  /** Bearer tokens, permissions and per-principal rate limits (AUTH_* and RATE_LIMIT_*). */
  auth: AuthSettings;
  /** Message sizes, streams, deadlines, reflection and TLS of the gRPC server; absent: the defaults. */
  limits?: ServerLimits;
  /** Session timeouts of the service's database pool (DB_*); absent: the defaults. */
  databaseLimits?: DatabaseLimits;
}

type Env = Record<string, string | undefined>;

/** Reads the settings common to both services; `service` picks the database and default port. */
export function loadServiceConfig(service: "command" | "query", env: Env = process.env): ServiceConfig {
  const databaseVar = service === "command" ? "WRITE_DATABASE_URL" : "READ_DATABASE_URL";
  const portVar = service === "command" ? "COMMAND_SERVICE_PORT" : "QUERY_SERVICE_PORT";
  return {
    databaseUrl: required(env, databaseVar),
    kafkaBrokers: required(env, "KAFKA_BROKERS")
      .split(",")
      .map((broker) => broker.trim())
      .filter(Boolean),
    topicPrefix: env.KAFKA_TOPIC_PREFIX ?? "conveyor",
    host: env.HOST ?? "127.0.0.1",
    port: integer(env, portVar, service === "command" ? 50051 : 50052),
    metricsPort: integer(env, "METRICS_PORT", service === "command" ? 9464 : 9465),
    auth: loadAuthSettings(env),
    limits: loadServerLimits(env),
    databaseLimits: loadDatabaseLimits(env),
  };
}

function required(env: Env, name: string): string {
  const value = env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

/** Reads a non-negative integer setting, failing loudly on garbage instead of falling back. */
export function integer(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 0)
    throw new Error(`${name} must be a non-negative integer, got "${raw}"`);
  return value;
}
