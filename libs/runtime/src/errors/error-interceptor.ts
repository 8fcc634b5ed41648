import { Code, type ConnectError, type Interceptor } from "@connectrpc/connect";
import type { Logger } from "../logger.ts";
import { toConnectError } from "./to-connect-error.ts";

/**
 * A server interceptor that passes every error a handler throws (unary, or while streaming) through
 * `toConnectError`, so handlers just throw @conveyor/errors. Errors that become INTERNAL are logged
 * with their cause, since the client only sees "internal error".
 */
export function createErrorInterceptor(logger: Logger): Interceptor {
  return (next) => async (request) => {
    const translate = (err: unknown): ConnectError =>
      logIfInternal(logger, request.method.name, toConnectError(err));
    try {
      const response = await next(request);
      return response.stream
        ? { ...response, message: translateErrors(response.message, translate) }
        : response;
    } catch (err) {
      throw translate(err);
    }
  };
}

async function* translateErrors<T>(
  messages: AsyncIterable<T>,
  translate: (err: unknown) => ConnectError,
): AsyncGenerator<T> {
  try {
    yield* messages;
  } catch (err) {
    throw translate(err);
  }
}

function logIfInternal(logger: Logger, method: string, error: ConnectError): ConnectError {
  if (error.code === Code.Internal) logger.error({ err: error.cause ?? error, method }, "handler failed");
  return error;
}
