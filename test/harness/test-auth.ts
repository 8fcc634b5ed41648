import type * as grpc from "@grpc/grpc-js";
import { generateToken, loadAuthSettings, sha256Hex, type AuthSettings } from "@conveyor/runtime";
import { bearerClientOptions, bearerMetadata } from "@conveyor/runtime/testing";

/** A principal to configure: its permissions and optional rate limit overrides (as in AUTH_TOKENS). */
export interface TestPrincipal {
  permissions: string[];
  rateLimit?: {
    requestsPerSecond?: number;
    requestsBurst?: number;
    commandsPerSecond?: number;
    commandsBurst?: number;
  };
}

/** Generated tokens for a set of principals, and the configuration that accepts them. */
export interface TestAuth {
  /** The all-permissions principal "test"'s token. */
  token: string;
  /** Every principal's token by name ("test" included). */
  tokens: Record<string, string>;
  /** `authorization: Bearer <token>` as HTTP headers (connect-node transports, fetch). */
  headers: Record<string, string>;
  /** The same as grpc-js metadata, for one call. */
  metadata: () => grpc.Metadata;
  /** grpc-js client options that send the token on every call (pass to createGrpcJsClient). */
  grpcJsOptions: grpc.ClientOptions;
  /** What a service process needs in its environment: AUTH_TOKENS with every principal. */
  env: { AUTH_TOKENS: string };
  /** The parsed configuration, as services started in this process take it (ServiceConfig.auth). */
  settings: AuthSettings;
}

/**
 * Generates a random token for an all-permissions principal "test" plus each of `extra`, and the
 * AUTH_TOKENS configuration (SHA-256 of each token) that accepts them.
 */
export function createTestAuth(extra: Record<string, TestPrincipal> = {}): TestAuth {
  const principals: Record<string, TestPrincipal> = { test: { permissions: ["*"] }, ...extra };
  const tokens = Object.fromEntries(Object.keys(principals).map((name) => [name, generateToken()]));
  const config = {
    principals: Object.entries(principals).map(([name, principal]) => ({
      name,
      tokenSha256: sha256Hex(tokens[name]!),
      ...principal,
    })),
  };
  const env = { AUTH_TOKENS: JSON.stringify(config) };
  const token = tokens.test!;
  return {
    token,
    tokens,
    headers: { authorization: `Bearer ${token}` },
    metadata: () => bearerMetadata(token),
    grpcJsOptions: bearerClientOptions(token),
    env,
    settings: loadAuthSettings(env),
  };
}
