import { pino, type DestinationStream, type Logger as PinoLogger } from "pino";
import { logFields } from "./tracing/request-context.ts";

/** A structured JSON logger (pino). Child loggers add bound fields: `logger.child({ requestId })`. */
export type Logger = PinoLogger;

type Env = Record<string, string | undefined>;

/** Where and how much a logger writes; tests pass a stream to read the lines back. */
export interface LoggerOptions {
  /** Defaults to `LOG_LEVEL`, else "info". */
  level?: string;
  /** Defaults to stdout. */
  destination?: DestinationStream;
}

/**
 * Creates a JSON logger named `name` (the `name` field of every line). The level comes from
 * `LOG_LEVEL` (trace, debug, info, warn, error, fatal, silent) and defaults to "info". Every line
 * written while serving a request (or projecting an event) carries its `requestId`, `batchId`,
 * `traceId` and `spanId` (see tracing/request-context.ts).
 */
export function createLogger(name: string, env: Env = process.env, options: LoggerOptions = {}): Logger {
  const settings = { name, level: options.level ?? env.LOG_LEVEL ?? "info", mixin: logFields };
  return options.destination ? pino(settings, options.destination) : pino(settings);
}
