import { createHmac, timingSafeEqual } from "node:crypto";

const MAC_BYTES = 16;

/**
 * Signs and verifies opaque tokens: base64url(JSON) "." base64url(HMAC-SHA256 truncated to 128 bits).
 * A token whose payload or MAC was changed, or that was signed with another key, does not verify.
 */
export class CursorSigner {
  constructor(private readonly key: Buffer) {}

  sign(payload: unknown): string {
    const body = Buffer.from(JSON.stringify(payload)).toString("base64url");
    return `${body}.${this.mac(body).toString("base64url")}`;
  }

  /** The payload of a token this signer issued, or undefined for anything else. */
  verify(token: string): unknown {
    const dot = token.lastIndexOf(".");
    if (dot <= 0) return undefined;
    const body = token.slice(0, dot);
    const given = Buffer.from(token.slice(dot + 1), "base64url");
    if (given.length !== MAC_BYTES || !timingSafeEqual(given, this.mac(body))) return undefined;
    try {
      return JSON.parse(Buffer.from(body, "base64url").toString()) as unknown;
    } catch {
      return undefined;
    }
  }

  private mac(body: string): Buffer {
    return createHmac("sha256", this.key).update(body).digest().subarray(0, MAC_BYTES);
  }
}
