export {
  accessKey,
  accessOf,
  permissionDenied,
  principalKey,
  requireAnyPermission,
  requirePermission,
  type Access,
} from "./access.ts";
export { createAuthInterceptor } from "./auth-interceptor.ts";
export {
  loadAuthSettings,
  type AuthSettings,
  type PrincipalSettings,
  type RateLimits,
} from "./auth-settings.ts";
export { permissionCatalog, permissionName, type PermissionKind } from "./permission-catalog.ts";
export { PermissionSet } from "./permissions.ts";
export { RateLimiter } from "./rate-limiter.ts";
export { generateToken, sha256Hex } from "./token-hash.ts";
export type { Rate } from "./token-bucket.ts";
export { allPermissionsAuthEnv } from "./single-principal.ts";
