import { readFileSync } from "node:fs";
import { PermissionSet } from "./permissions.ts";
import type { Rate } from "./token-bucket.ts";

/** Per-principal rate limits; an absent rate is unlimited. */
export interface RateLimits {
  /** RPCs per second (health and reflection are not counted). */
  requests?: Rate;
  /** Batch commands per second: a batch of n commands costs n. */
  commands?: Rate;
}

/** One principal: who it is, the SHA-256 of each token that authenticates it, and what it may do. */
export interface PrincipalSettings {
  name: string;
  tokenSha256: readonly Buffer[];
  permissions: PermissionSet;
  rateLimits: RateLimits;
}

/** How a server authenticates and limits callers. Disabled: everyone is "anonymous" with every permission. */
export type AuthSettings =
  | { enabled: true; principals: readonly PrincipalSettings[]; rateLimits: RateLimits }
  | { enabled: false; rateLimits: RateLimits };

type Env = Record<string, string | undefined>;

const docs = "see docs/operations/auth.md";

/**
 * Reads AUTH_TOKENS_FILE (a JSON file) or AUTH_TOKENS (the same JSON inline), or AUTH_DISABLED=true, and
 * the RATE_LIMIT_* defaults. Throws a message naming the variable and the offending entry when the
 * configuration is missing, ambiguous or invalid, so a misconfigured service refuses to start.
 */
export function loadAuthSettings(env: Env = process.env): AuthSettings {
  const rateLimits = loadRateLimits(env);
  const file = env.AUTH_TOKENS_FILE || undefined;
  const inline = env.AUTH_TOKENS || undefined;
  const disabled = parseDisabled(env.AUTH_DISABLED);
  if (disabled) {
    if (file || inline)
      throw new Error(`AUTH_DISABLED=true conflicts with AUTH_TOKENS_FILE / AUTH_TOKENS (${docs})`);
    return { enabled: false, rateLimits };
  }
  if (file && inline) throw new Error(`set AUTH_TOKENS_FILE or AUTH_TOKENS, not both (${docs})`);
  if (!file && !inline)
    throw new Error(
      `authentication is not configured: set AUTH_TOKENS_FILE (a JSON file) or AUTH_TOKENS (the same JSON ` +
        `inline), or AUTH_DISABLED=true to accept every caller (${docs})`,
    );
  const [source, text] = file ? [`AUTH_TOKENS_FILE ${file}`, readTokensFile(file)] : ["AUTH_TOKENS", inline!];
  return { enabled: true, principals: parseTokens(source, text, rateLimits), rateLimits };
}

function parseDisabled(raw: string | undefined): boolean {
  if (raw === undefined || raw === "" || raw === "false") return false;
  if (raw === "true") return true;
  throw new Error(`AUTH_DISABLED must be "true" or "false", got "${raw}"`);
}

function readTokensFile(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    throw new Error(`AUTH_TOKENS_FILE ${path} cannot be read: ${(error as Error).message}`);
  }
}

function parseTokens(source: string, text: string, defaults: RateLimits): PrincipalSettings[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`${source}: not JSON (${(error as Error).message}); ${docs}`);
  }
  const principals = isObject(json) ? json.principals : undefined;
  if (!Array.isArray(principals) || principals.length === 0)
    throw new Error(
      `${source}: expected {"principals": [{"name", "tokenSha256", "permissions"}, ...]} with at least one principal; ${docs}`,
    );
  const parsed = principals.map((entry, index) =>
    parsePrincipal(`${source}: principals[${index}]`, entry, defaults),
  );
  checkUnique(source, parsed);
  return parsed;
}

function parsePrincipal(at: string, entry: unknown, defaults: RateLimits): PrincipalSettings {
  if (!isObject(entry)) throw new Error(`${at}: expected an object`);
  const unknownKeys = Object.keys(entry).filter((key) => !principalKeys.includes(key));
  if (unknownKeys.length > 0)
    throw new Error(`${at}: unknown field "${unknownKeys[0]}" (known: ${principalKeys.join(", ")})`);
  const { name, tokenSha256, permissions, rateLimit } = entry;
  if (typeof name !== "string" || !/^[\w.@:+-]{1,200}$/.test(name))
    throw new Error(`${at}.name: expected 1-200 characters of letters, digits, _ . @ : + -`);
  const hashes = typeof tokenSha256 === "string" ? [tokenSha256] : tokenSha256;
  if (!Array.isArray(hashes) || hashes.length === 0)
    throw new Error(`${at}.tokenSha256: expected the SHA-256 (hex) of a token, or a list of them`);
  const tokens = hashes.map((hash: unknown, index) => {
    if (typeof hash !== "string" || !/^[0-9a-fA-F]{64}$/.test(hash))
      throw new Error(
        `${at}.tokenSha256[${index}]: expected 64 hex digits (e.g. printf %s "$TOKEN" | sha256sum)`,
      );
    return Buffer.from(hash, "hex");
  });
  if (!Array.isArray(permissions) || permissions.some((permission) => typeof permission !== "string"))
    throw new Error(`${at}.permissions: expected a list of strings such as "command:*" or "export:orders"`);
  let parsedPermissions: PermissionSet;
  try {
    parsedPermissions = PermissionSet.parse(permissions as string[]);
  } catch (error) {
    throw new Error(`${at}.${(error as Error).message}`);
  }
  return {
    name,
    tokenSha256: tokens,
    permissions: parsedPermissions,
    rateLimits: overrideRates(`${at}.rateLimit`, rateLimit, defaults),
  };
}

const principalKeys = ["name", "tokenSha256", "permissions", "rateLimit"];
const rateKeys = ["requestsPerSecond", "requestsBurst", "commandsPerSecond", "commandsBurst"] as const;

function overrideRates(at: string, value: unknown, defaults: RateLimits): RateLimits {
  if (value === undefined) return defaults;
  if (!isObject(value)) throw new Error(`${at}: expected an object with ${rateKeys.join(", ")}`);
  const unknownKeys = Object.keys(value).filter((key) => !(rateKeys as readonly string[]).includes(key));
  if (unknownKeys.length > 0)
    throw new Error(`${at}: unknown field "${unknownKeys[0]}" (known: ${rateKeys.join(", ")})`);
  const read = (key: (typeof rateKeys)[number]) => {
    const raw = value[key];
    if (raw === undefined) return undefined;
    if (typeof raw !== "number" || !Number.isFinite(raw) || raw < 0)
      throw new Error(`${at}.${key}: expected a number >= 0`);
    return raw;
  };
  return {
    requests: rateOf(read("requestsPerSecond"), read("requestsBurst"), defaults.requests),
    commands: rateOf(read("commandsPerSecond"), read("commandsBurst"), defaults.commands),
  };
}

function loadRateLimits(env: Env): RateLimits {
  for (const kind of ["REQUESTS", "COMMANDS"])
    if (env[`RATE_LIMIT_${kind}_BURST`] && !env[`RATE_LIMIT_${kind}_PER_SECOND`])
      throw new Error(`RATE_LIMIT_${kind}_BURST is set without RATE_LIMIT_${kind}_PER_SECOND`);
  return {
    requests: rateOf(number(env, "RATE_LIMIT_REQUESTS_PER_SECOND"), number(env, "RATE_LIMIT_REQUESTS_BURST")),
    commands: rateOf(number(env, "RATE_LIMIT_COMMANDS_PER_SECOND"), number(env, "RATE_LIMIT_COMMANDS_BURST")),
  };
}

/** A rate of 0 is unlimited; an unset burst is one second's worth (at least 1). */
function rateOf(perSecond: number | undefined, burst: number | undefined, fallback?: Rate): Rate | undefined {
  if (perSecond === undefined) return burst === undefined || !fallback ? fallback : { ...fallback, burst };
  if (perSecond === 0) return undefined;
  return { perSecond, burst: burst ?? Math.max(1, Math.ceil(perSecond)) };
}

function number(env: Env, name: string): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === "") return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a number >= 0, got "${raw}"`);
  return value;
}

function checkUnique(source: string, principals: readonly PrincipalSettings[]): void {
  const names = new Set<string>();
  const hashes = new Set<string>();
  for (const principal of principals) {
    if (names.has(principal.name)) throw new Error(`${source}: principal "${principal.name}" appears twice`);
    names.add(principal.name);
    for (const hash of principal.tokenSha256) {
      const hex = hash.toString("hex");
      if (hashes.has(hex))
        throw new Error(`${source}: principal "${principal.name}" reuses another entry's token`);
      hashes.add(hex);
    }
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
