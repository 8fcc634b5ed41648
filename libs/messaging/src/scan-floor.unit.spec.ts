import { describe, expect, it } from "vitest";
import { advanceScanFloor, initialScanFloor, type RoundFacts } from "./scan-floor.ts";

const round = (facts: Partial<RoundFacts>): RoundFacts => ({
  sequenceValue: 0n,
  horizon: 0n,
  drawnBelow: 0n,
  drained: true,
  maxRead: undefined,
  ...facts,
});

describe("the relay's scan floor", () => {
  it("settles the ids a round covered once a later round's horizon passes that round's xmax", () => {
    const first = advanceScanFloor(
      initialScanFloor,
      round({ sequenceValue: 10n, horizon: 100n, drawnBelow: 105n }),
    );
    expect(first.floor).toBe(0n);
    const stillRunning = advanceScanFloor(
      first,
      round({ sequenceValue: 12n, horizon: 104n, drawnBelow: 110n }),
    );
    expect(stillRunning.floor).toBe(0n);
    const ended = advanceScanFloor(
      stillRunning,
      round({ sequenceValue: 12n, horizon: 105n, drawnBelow: 110n }),
    );
    expect(ended.floor).toBe(10n);
  });

  it("covers only up to the last id read when a round hit its limit", () => {
    const limited = advanceScanFloor(
      initialScanFloor,
      round({ sequenceValue: 5000n, horizon: 7n, drawnBelow: 8n, drained: false, maxRead: 2000n }),
    );
    const next = advanceScanFloor(
      limited,
      round({ sequenceValue: 5000n, horizon: 8n, drawnBelow: 9n, drained: false, maxRead: 4000n }),
    );
    expect(next.floor).toBe(2000n);
  });

  it("does not settle ids beyond what the later round itself covered", () => {
    const wide = advanceScanFloor(
      initialScanFloor,
      round({ sequenceValue: 900n, horizon: 1n, drawnBelow: 2n }),
    );
    const narrow = advanceScanFloor(
      wide,
      round({ sequenceValue: 900n, horizon: 2n, drawnBelow: 3n, drained: false, maxRead: 300n }),
    );
    expect(narrow.floor).toBe(0n);
    const wideAgain = advanceScanFloor(narrow, round({ sequenceValue: 900n, horizon: 3n, drawnBelow: 4n }));
    expect(wideAgain.floor).toBe(900n);
  });
});
