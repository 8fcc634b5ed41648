import { createLogger, type Logger, type LoggerOptions } from "@conveyor/runtime";

/** A stream the services' JSON log lines go to (e.g. `createLogCapture().destination`). */
export type LogDestination = NonNullable<LoggerOptions["destination"]>;

/** The options that make a service log to `logs` at debug level; none (stdout as usual) without it. */
export function serviceLogger(name: string, logs: LogDestination | undefined): { logger?: Logger } {
  return logs ? { logger: createLogger(name, {}, { level: "debug", destination: logs }) } : {};
}
