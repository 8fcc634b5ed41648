import type { Interceptor } from "@connectrpc/connect";
import { Unauthenticated } from "@conveyor/errors";
import { Health } from "@conveyor/proto/grpc/health/v1/health_pb";
import { reflectionServices } from "../reflection/reflection-routes.ts";
import { accessKey, principalKey, type Access } from "./access.ts";
import type { AuthSettings, PrincipalSettings } from "./auth-settings.ts";
import { PermissionSet } from "./permissions.ts";
import { RateLimiter } from "./rate-limiter.ts";
import { findByTokenHash } from "./token-hash.ts";

/** Services anyone may call: probes and tools must work without a token. */
const openServices = new Set([Health.typeName, ...reflectionServices.map((service) => service.typeName)]);

const bearer = /^Bearer +(\S+) *$/i;

/**
 * Authenticates every call to an app service (health and reflection stay open) from its
 * `authorization: Bearer <token>` header, charges it to the principal's request rate limit, and puts
 * the principal under `principalKey` and its permissions and budgets under `accessKey` for the
 * handlers, which authorize what the request asks for. Throws Unauthenticated without a known token.
 */
export function createAuthInterceptor(settings: AuthSettings, limiter = new RateLimiter()): Interceptor {
  const anonymous: PrincipalSettings = {
    name: "anonymous",
    tokenSha256: [],
    permissions: PermissionSet.all(),
    rateLimits: settings.rateLimits,
  };
  const authenticate = (authorization: string | null): PrincipalSettings => {
    if (!settings.enabled) return anonymous;
    if (!authorization)
      throw new Unauthenticated('missing credentials: send "authorization: Bearer <token>"');
    const token = bearer.exec(authorization)?.[1];
    if (!token) throw new Unauthenticated('malformed authorization header: expected "Bearer <token>"');
    const principal = findByTokenHash(settings.principals, token);
    if (!principal) throw new Unauthenticated("unknown bearer token");
    return principal;
  };
  return (next) => async (request) => {
    if (openServices.has(request.service.typeName)) return next(request);
    const principal = authenticate(request.header.get("authorization"));
    limiter.charge(principal.name, principal.rateLimits, "requests", 1);
    const access: Access = {
      principal: principal.name,
      permissions: principal.permissions,
      chargeCommands: (count) => limiter.charge(principal.name, principal.rateLimits, "commands", count),
    };
    request.contextValues.set(principalKey, principal.name);
    request.contextValues.set(accessKey, access);
    return next(request);
  };
}
