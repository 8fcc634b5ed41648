import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { allPermissionsAuthEnv, generateToken } from "@conveyor/runtime";
import { cachePath } from "./paths.ts";

/** How the local run authenticates callers: its own development token, or what the environment configured. */
export interface LocalAuth {
  /** The development token, when the runner made the configuration (else undefined). */
  token?: string;
  /** The AUTH_* variables to give both services (empty when the environment configures auth itself). */
  env: Record<string, string>;
}

const tokenFile = cachePath("dev-token");

/**
 * Without AUTH_TOKENS_FILE, AUTH_TOKENS or AUTH_DISABLED in the environment, both services accept one
 * development token with every permission (principal "developer"), generated once and kept in
 * .cache/dev-token so it survives restarts.
 */
export async function localAuth(env: NodeJS.ProcessEnv): Promise<LocalAuth> {
  if (env.AUTH_TOKENS_FILE || env.AUTH_TOKENS || env.AUTH_DISABLED) return { env: {} };
  const token = await readOrCreateToken();
  return { token, env: allPermissionsAuthEnv("developer", token) };
}

async function readOrCreateToken(): Promise<string> {
  const stored = await readFile(tokenFile, "utf8").catch(() => "");
  if (/^[\w-]{32,}$/.test(stored.trim())) return stored.trim();
  const token = generateToken();
  await mkdir(dirname(tokenFile), { recursive: true });
  await writeFile(tokenFile, `${token}\n`, { mode: 0o600 });
  return token;
}
