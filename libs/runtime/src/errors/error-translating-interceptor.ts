import type { Interceptor, StreamRequest, UnaryRequest } from "@connectrpc/connect";

/**
 * A server interceptor that passes every error a handler throws, unary or while streaming, through
 * `translate(error, request)` and throws what it returns.
 */
export function createErrorTranslatingInterceptor(
  translate: (err: unknown, request: UnaryRequest | StreamRequest) => unknown,
): Interceptor {
  return (next) => async (request) => {
    try {
      const response = await next(request);
      return response.stream
        ? { ...response, message: translateErrors(response.message, (err) => translate(err, request)) }
        : response;
    } catch (err) {
      throw translate(err, request);
    }
  };
}

async function* translateErrors<T>(
  messages: AsyncIterable<T>,
  translate: (err: unknown) => unknown,
): AsyncGenerator<T> {
  try {
    yield* messages;
  } catch (err) {
    throw translate(err);
  }
}
