import { randomBytes } from "node:crypto";
import { ValidationError } from "@conveyor/errors";
import { describe, expect, it } from "vitest";
import { CursorCodec } from "./cursor-codec.ts";
import { CursorSigner } from "./cursor-signer.ts";
import type { CursorState } from "./cursor-state.ts";

const key = randomBytes(32);
const codec = new CursorCodec(new CursorSigner(key));
const state: CursorState = {
  kind: "orders",
  mode: "export",
  filter: "digest-1",
  after: "01900000-0000-7000-8000-000000000007",
  rows: 7,
  read: [{ upTo: "01900000-0000-7000-8000-000000000007", snapshot: "750:752:751" }],
};

function refusal(run: () => unknown): string | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).field).toBe("options.cursor");
    return (error as ValidationError).reason;
  }
}

describe("CursorCodec", () => {
  it("round-trips a state", () => {
    expect(codec.decode(codec.encode(state), "orders", "digest-1")).toEqual(state);
  });

  it("refuses a changed payload, a changed MAC, another key's cursor and garbage", () => {
    const token = codec.encode(state);
    const [body, mac] = token.split(".") as [string, string];
    const forgedBody = Buffer.from(JSON.stringify({ ...state, rows: 0 })).toString("base64url");
    const otherKey = new CursorCodec(new CursorSigner(randomBytes(32))).encode(state);
    for (const bad of [
      `${forgedBody}.${mac}`,
      `${body}.${mac.replace(/^./, mac[0] === "A" ? "B" : "A")}`,
      otherKey,
      "",
      "x.y",
      body,
    ])
      expect(refusal(() => codec.decode(bad, "orders", "digest-1"))).toContain("altered");
  });

  it("refuses a cursor of another export type or filter, saying which", () => {
    const token = codec.encode(state);
    expect(refusal(() => codec.decode(token, "tasks", "digest-1"))).toBe(
      "belongs to an export of orders, not tasks",
    );
    expect(refusal(() => codec.decode(token, "orders", "digest-2"))).toBe(
      "belongs to an export with another filter",
    );
  });

  it("refuses a signed payload that is not a well-formed cursor (keys and snapshots are checked before they reach SQL)", () => {
    const signer = new CursorSigner(key);
    const malformed = [
      { ...state, after: "'; DROP TABLE read_orders; --" },
      { ...state, read: [{ upTo: null, snapshot: "1:2:3'" }] },
      { ...state, snapshot: "00000003-0000001B-1'" },
      { ...state, kind: "invoices" },
      { ...state, rows: -0.5 },
    ];
    for (const payload of malformed)
      expect(refusal(() => codec.decode(signer.sign(payload), "orders", "digest-1"))).toContain("altered");
  });
});
