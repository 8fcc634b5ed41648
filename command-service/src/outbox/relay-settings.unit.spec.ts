import { describe, expect, it } from "vitest";
import { loadRelaySettings } from "./relay-settings.ts";

describe("loadRelaySettings", () => {
  it("leaves the relay's defaults when nothing is set (no undefined keys to override them)", () => {
    expect(loadRelaySettings({})).toStrictEqual({});
    expect(loadRelaySettings({ RELAY_MAX_BATCH_BYTES: "" })).toStrictEqual({});
    expect(loadRelaySettings({ RELAY_BATCH_SIZE: "100" })).toStrictEqual({ batchSize: 100 });
  });

  it("reads the round size and the per-partition byte cap", () => {
    expect(loadRelaySettings({ RELAY_BATCH_SIZE: "500", RELAY_MAX_BATCH_BYTES: "262144" })).toEqual({
      batchSize: 500,
      maxBatchBytes: 262_144,
    });
  });

  it("fails loudly on a value that is not a positive integer", () => {
    expect(() => loadRelaySettings({ RELAY_MAX_BATCH_BYTES: "512k" })).toThrow(/RELAY_MAX_BATCH_BYTES/);
    expect(() => loadRelaySettings({ RELAY_MAX_BATCH_BYTES: "0" })).toThrow(/at least 1/);
    expect(() => loadRelaySettings({ RELAY_BATCH_SIZE: "-5" })).toThrow(/RELAY_BATCH_SIZE/);
  });
});
