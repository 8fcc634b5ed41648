import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/** The SHA-256 of a token as 64 lowercase hex digits: what token configuration stores. */
export function sha256Hex(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/** A fresh random bearer token (256 bits, base64url). */
export function generateToken(): string {
  return randomBytes(32).toString("base64url");
}

/**
 * Finds the entry whose stored SHA-256 matches `token`. Every stored hash is compared, each in constant
 * time, so the answer's timing says nothing about how close a guess came or which entry matched.
 */
export function findByTokenHash<T extends { tokenSha256: readonly Buffer[] }>(
  entries: readonly T[],
  token: string,
): T | undefined {
  const presented = createHash("sha256").update(token, "utf8").digest();
  let found: T | undefined;
  for (const entry of entries)
    for (const stored of entry.tokenSha256) if (timingSafeEqual(stored, presented) && !found) found = entry;
  return found;
}
