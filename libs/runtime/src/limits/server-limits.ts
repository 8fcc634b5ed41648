import { integer } from "../config.ts";

type Env = Record<string, string | undefined>;

/**
 * Every limit and switch of the gRPC server, each read from one environment variable (the names are
 * in `serverLimitVars`). docs/operations/limits.md lists them with their defaults and status codes.
 */
export interface ServerLimits {
  /** Largest request message in bytes (READ_MAX_BYTES); larger ones fail with RESOURCE_EXHAUSTED. */
  readMaxBytes: number;
  /** Largest response message in bytes (WRITE_MAX_BYTES); larger ones fail with RESOURCE_EXHAUSTED. */
  writeMaxBytes: number;
  /** Streams one HTTP/2 connection may have open at once (MAX_CONCURRENT_STREAMS), sent in SETTINGS. */
  maxConcurrentStreams: number;
  /** Longest a unary call may run (MAX_UNARY_DEADLINE_MS): caps the client's deadline, or sets one. */
  maxUnaryDeadlineMs: number;
  /** Longest a streaming call (e.g. an export) may run (MAX_STREAM_DEADLINE_MS). */
  maxStreamDeadlineMs: number;
  /** Whether gRPC server reflection answers (REFLECTION=on|off); health is always served. */
  reflection: boolean;
  /** TLS_CERT_FILE + TLS_KEY_FILE (PEM) switch TLS on; TLS_CA_FILE also asks clients for certificates. */
  tls?: TlsFiles;
}

/** PEM file paths for TLS. */
export interface TlsFiles {
  certFile: string;
  keyFile: string;
  /** When set, clients must present a certificate signed by this CA. */
  caFile?: string;
}

/** The environment variable of each numeric limit, as error messages and docs name it. */
export const serverLimitVars = {
  readMaxBytes: "READ_MAX_BYTES",
  writeMaxBytes: "WRITE_MAX_BYTES",
  maxConcurrentStreams: "MAX_CONCURRENT_STREAMS",
  maxUnaryDeadlineMs: "MAX_UNARY_DEADLINE_MS",
  maxStreamDeadlineMs: "MAX_STREAM_DEADLINE_MS",
} as const;

/** 4 MiB, as grpc-go and grpc-js accept by default. */
const FOUR_MIB = 4 * 1024 * 1024;

export const defaultServerLimits: ServerLimits = {
  readMaxBytes: FOUR_MIB,
  writeMaxBytes: FOUR_MIB,
  maxConcurrentStreams: 100,
  maxUnaryDeadlineMs: 5 * 60_000,
  maxStreamDeadlineMs: 2 * 60 * 60_000,
  reflection: true,
};

/** Reads the server limits from the environment; unset variables take `defaultServerLimits`. */
export function loadServerLimits(env: Env = process.env): ServerLimits {
  const d = defaultServerLimits;
  const v = serverLimitVars;
  return {
    readMaxBytes: positive(env, v.readMaxBytes, d.readMaxBytes),
    writeMaxBytes: positive(env, v.writeMaxBytes, d.writeMaxBytes),
    maxConcurrentStreams: positive(env, v.maxConcurrentStreams, d.maxConcurrentStreams),
    maxUnaryDeadlineMs: positive(env, v.maxUnaryDeadlineMs, d.maxUnaryDeadlineMs),
    maxStreamDeadlineMs: positive(env, v.maxStreamDeadlineMs, d.maxStreamDeadlineMs),
    reflection: onOff(env, "REFLECTION", d.reflection),
    tls: tlsFiles(env),
  };
}

function tlsFiles(env: Env): TlsFiles | undefined {
  const { TLS_CERT_FILE: certFile, TLS_KEY_FILE: keyFile, TLS_CA_FILE: caFile } = env;
  if (!certFile && !keyFile) {
    if (caFile) throw new Error("TLS_CA_FILE needs TLS_CERT_FILE and TLS_KEY_FILE");
    return undefined;
  }
  if (!certFile || !keyFile) throw new Error("TLS needs both TLS_CERT_FILE and TLS_KEY_FILE");
  return { certFile, keyFile, ...(caFile ? { caFile } : {}) };
}

/** A non-negative integer setting that must not be 0. */
export function positive(env: Env, name: string, fallback: number): number {
  const value = integer(env, name, fallback);
  if (value === 0) throw new Error(`${name} must be positive`);
  return value;
}

function onOff(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]?.toLowerCase();
  if (raw === undefined || raw === "") return fallback;
  if (raw === "on") return true;
  if (raw === "off") return false;
  throw new Error(`${name} must be "on" or "off", got "${env[name]}"`);
}
