import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadAuthSettings } from "./auth-settings.ts";
import { findByTokenHash, sha256Hex } from "./token-hash.ts";

const hash = sha256Hex("s3cret-token");
const tokens = (principals: unknown[]) => JSON.stringify({ principals });
const principal = { name: "importer", tokenSha256: hash, permissions: ["command:*", "export:orders"] };

describe("loadAuthSettings", () => {
  it("refuses to start without any configuration, naming the variables and the way out", () => {
    expect(() => loadAuthSettings({})).toThrow(/AUTH_TOKENS_FILE .*AUTH_TOKENS .*AUTH_DISABLED=true/);
  });

  it("runs without authentication only when told so, and then not with tokens too", () => {
    expect(loadAuthSettings({ AUTH_DISABLED: "true" })).toMatchObject({ enabled: false });
    expect(() => loadAuthSettings({ AUTH_DISABLED: "true", AUTH_TOKENS: tokens([principal]) })).toThrow(
      /conflicts/,
    );
    expect(() => loadAuthSettings({ AUTH_DISABLED: "yes" })).toThrow(
      /AUTH_DISABLED must be "true" or "false"/,
    );
  });

  it("reads principals inline or from a file, and finds one by its token", () => {
    const dir = mkdtempSync(join(tmpdir(), "auth-settings-"));
    const file = join(dir, "tokens.json");
    writeFileSync(file, tokens([principal]));
    for (const env of [{ AUTH_TOKENS: tokens([principal]) }, { AUTH_TOKENS_FILE: file }]) {
      const settings = loadAuthSettings(env);
      if (!settings.enabled) throw new Error("expected authentication on");
      const found = findByTokenHash(settings.principals, "s3cret-token");
      expect(found?.name).toBe("importer");
      expect(found?.permissions.allows("command", "CreateTask")).toBe(true);
      expect(found?.permissions.allows("export", "orders")).toBe(true);
      expect(found?.permissions.allows("export", "tasks")).toBe(false);
      expect(findByTokenHash(settings.principals, "s3cret-tokem")).toBeUndefined();
    }
    expect(() => loadAuthSettings({ AUTH_TOKENS_FILE: join(dir, "missing.json") })).toThrow(/cannot be read/);
    expect(() => loadAuthSettings({ AUTH_TOKENS_FILE: file, AUTH_TOKENS: "{}" })).toThrow(/not both/);
  });

  it.each([
    ["not JSON", "{", /AUTH_TOKENS: not JSON/],
    ["no principals", "{}", /at least one principal/],
    [
      "a bad hash",
      tokens([{ ...principal, tokenSha256: "s3cret-token" }]),
      /principals\[0\]\.tokenSha256\[0\]: expected 64 hex digits/,
    ],
    [
      "an unknown command type",
      tokens([{ ...principal, permissions: ["command:CreateTsk"] }]),
      /principals\[0\]\.permissions\[0\] "command:CreateTsk": unknown command name "CreateTsk" \(known: CreateUser, /,
    ],
    ["an unknown kind", tokens([{ ...principal, permissions: ["read:orders"] }]), /unknown kind "read"/],
    ["a bare name", tokens([{ ...principal, permissions: ["orders"] }]), /expected "\*", "<kind>:\*"/],
    ["an unknown field", tokens([{ ...principal, roles: [] }]), /principals\[0\]: unknown field "roles"/],
    [
      "a duplicate name",
      tokens([principal, { ...principal, tokenSha256: sha256Hex("other") }]),
      /"importer" appears twice/,
    ],
    [
      "a shared token",
      tokens([principal, { ...principal, name: "other" }]),
      /"other" reuses another entry's token/,
    ],
    [
      "a bad rate",
      tokens([{ ...principal, rateLimit: { requestsPerSecond: -1 } }]),
      /rateLimit\.requestsPerSecond: expected a number >= 0/,
    ],
  ])("explains %s", (_case, text, message) => {
    expect(() => loadAuthSettings({ AUTH_TOKENS: text })).toThrow(message);
  });

  it("takes rate limits from the environment, per principal overrides on top; 0 is unlimited", () => {
    const settings = loadAuthSettings({
      AUTH_TOKENS: tokens([
        principal,
        {
          name: "batch",
          tokenSha256: sha256Hex("b"),
          permissions: ["*"],
          rateLimit: { commandsPerSecond: 0, requestsBurst: 50 },
        },
      ]),
      RATE_LIMIT_REQUESTS_PER_SECOND: "10",
      RATE_LIMIT_COMMANDS_PER_SECOND: "1000",
      RATE_LIMIT_COMMANDS_BURST: "5000",
    });
    if (!settings.enabled) throw new Error("expected authentication on");
    expect(settings.principals[0]!.rateLimits).toEqual({
      requests: { perSecond: 10, burst: 10 },
      commands: { perSecond: 1000, burst: 5000 },
    });
    expect(settings.principals[1]!.rateLimits).toEqual({
      requests: { perSecond: 10, burst: 50 },
      commands: undefined,
    });
    expect(() => loadAuthSettings({ AUTH_DISABLED: "true", RATE_LIMIT_REQUESTS_BURST: "5" })).toThrow(
      /RATE_LIMIT_REQUESTS_BURST is set without RATE_LIMIT_REQUESTS_PER_SECOND/,
    );
    expect(() => loadAuthSettings({ AUTH_DISABLED: "true", RATE_LIMIT_REQUESTS_PER_SECOND: "fast" })).toThrow(
      /RATE_LIMIT_REQUESTS_PER_SECOND must be a number >= 0, got "fast"/,
    );
  });
});
