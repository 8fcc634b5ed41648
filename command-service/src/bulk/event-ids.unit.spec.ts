import { describe, expect, it } from "vitest";
import { eventIdPrefix } from "./event-ids.ts";

const uuidV7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe("eventIdPrefix", () => {
  it("with an 8-digit counter appended, makes UUIDv7s carrying the statement's time", () => {
    const now = Date.UTC(2026, 0, 2, 3, 4, 5, 6);
    const id = `${eventIdPrefix(now)}${(1).toString(16).padStart(8, "0")}`;
    expect(id).toMatch(uuidV7);
    expect(parseInt(id.slice(0, 8) + id.slice(9, 13), 16)).toBe(now);
  });

  it("differs between statements in the same millisecond, and sorts by time", () => {
    const now = Date.now();
    expect(eventIdPrefix(now)).not.toBe(eventIdPrefix(now));
    expect(eventIdPrefix(now) < eventIdPrefix(now + 1)).toBe(true);
  });
});
