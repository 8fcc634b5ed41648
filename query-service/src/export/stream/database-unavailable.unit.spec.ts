import { InfrastructureError } from "@conveyor/errors";
import { describe, expect, it } from "vitest";
import { exportUnavailable, isDatabaseUnavailable } from "./database-unavailable.ts";

const pgError = (code: string) => Object.assign(new Error(`server said ${code}`), { code });

describe("isDatabaseUnavailable", () => {
  it("recognises a server restart, a crash and a dropped connection", () => {
    for (const error of [
      pgError("57P01"),
      pgError("57P02"),
      pgError("57P03"),
      pgError("08006"),
      new Error("Connection terminated unexpectedly"),
    ])
      expect(isDatabaseUnavailable(error), String(error)).toBe(true);
  });

  it("leaves errors about the query itself alone", () => {
    for (const error of [pgError("42P01"), pgError("57014"), new Error("boom"), undefined, "text"])
      expect(isDatabaseUnavailable(error), String(error)).toBe(false);
  });

  it("becomes a retriable infrastructure error (UNAVAILABLE) that keeps the cause", () => {
    const cause = pgError("57P01");
    const error = exportUnavailable(cause);
    expect(error).toBeInstanceOf(InfrastructureError);
    expect(error).toMatchObject({ retriable: true, cause });
  });
});
