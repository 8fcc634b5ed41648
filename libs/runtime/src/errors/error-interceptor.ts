import { Code, type ConnectError, type Interceptor } from "@connectrpc/connect";
import type { Logger } from "../logger.ts";
import { createErrorTranslatingInterceptor } from "./error-translating-interceptor.ts";
import { toConnectError } from "./to-connect-error.ts";

/**
 * A server interceptor that passes every error a handler throws (unary, or while streaming) through
 * `toConnectError`, so handlers just throw @conveyor/errors. Errors that become INTERNAL are logged
 * with their cause, since the client only sees "internal error".
 */
export function createErrorInterceptor(logger: Logger): Interceptor {
  return createErrorTranslatingInterceptor((err, request) =>
    logIfInternal(logger, request.method.name, toConnectError(err)),
  );
}

function logIfInternal(logger: Logger, method: string, error: ConnectError): ConnectError {
  if (error.code === Code.Internal) logger.error({ err: error.cause ?? error, method }, "handler failed");
  return error;
}
