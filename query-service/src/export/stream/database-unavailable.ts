import { InfrastructureError } from "@conveyor/errors";

// SQLSTATE class 08 (connection exception) and 57P01..57P03 (admin shutdown, crash shutdown, cannot
// connect now): the server went away or is restarting, not a problem with the export itself.
const unavailableCode = /^(08...|57P0[123])$/;

/** True for errors that say the read database went away (restart, crash, dropped connection). */
export function isDatabaseUnavailable(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (typeof code === "string" && unavailableCode.test(code)) return true;
  return typeof message === "string" && /^Connection terminated/.test(message);
}

/** The retriable error (UNAVAILABLE) an export fails with when its database connection is lost. */
export function exportUnavailable(cause: unknown): InfrastructureError {
  return new InfrastructureError("the read database connection was lost; resume from the last cursor", true, {
    cause,
  });
}
