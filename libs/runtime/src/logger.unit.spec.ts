import { describe, expect, it } from "vitest";
import { createLogger } from "./logger.ts";

describe("createLogger", () => {
  it("takes its level from LOG_LEVEL, defaulting to info", () => {
    expect(createLogger("spec", {}).level).toBe("info");
    expect(createLogger("spec", { LOG_LEVEL: "warn" }).level).toBe("warn");
  });

  it("names every line", () => {
    expect(createLogger("query-service", {}).bindings()).toMatchObject({ name: "query-service" });
  });
});
