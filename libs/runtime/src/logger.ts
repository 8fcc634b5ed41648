import { pino, type Logger as PinoLogger } from "pino";

/** A structured JSON logger (pino). Child loggers add bound fields: `logger.child({ requestId })`. */
export type Logger = PinoLogger;

type Env = Record<string, string | undefined>;

/**
 * Creates a JSON logger named `name` (the `name` field of every line). The level comes from
 * `LOG_LEVEL` (trace, debug, info, warn, error, fatal, silent) and defaults to "info".
 */
export function createLogger(name: string, env: Env = process.env): Logger {
  return pino({ name, level: env.LOG_LEVEL ?? "info" });
}
