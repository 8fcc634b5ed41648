import { sha256Hex } from "./token-hash.ts";

/**
 * The environment that makes a service accept `token` as principal `name` with every permission
 * (AUTH_TOKENS inline JSON, holding only the token's SHA-256), clearing AUTH_TOKENS_FILE and
 * AUTH_DISABLED so an inherited setting cannot conflict. For local runs, clusters and tests.
 */
export function allPermissionsAuthEnv(name: string, token: string): Record<string, string> {
  const config = { principals: [{ name, tokenSha256: sha256Hex(token), permissions: ["*"] }] };
  return { AUTH_TOKENS: JSON.stringify(config), AUTH_TOKENS_FILE: "", AUTH_DISABLED: "" };
}
