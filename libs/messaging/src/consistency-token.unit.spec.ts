import { describe, expect, it } from "vitest";
import { ValidationError } from "@conveyor/errors";
import { decodeConsistencyToken, encodeConsistencyToken, readConsistencyToken } from "./consistency-token.ts";

describe("consistency tokens", () => {
  it("round-trip a horizon", async () => {
    expect(decodeConsistencyToken(encodeConsistencyToken(123_456_789_012n))).toBe(123_456_789_012n);
    expect(await readConsistencyToken(() => Promise.resolve([{ xmax: "42" }]))).toBe("ct1.42");
  });

  it.each(["", "42", "ct1.", "ct1.-1", "ct1.1e3", "ct2.42", "ct1.99999999999999999999"])(
    "refuse %j as a validation error on the export option",
    (token) => {
      expect(() => decodeConsistencyToken(token)).toThrow(ValidationError);
      try {
        decodeConsistencyToken(token);
      } catch (error) {
        expect((error as ValidationError).field).toBe("options.consistency_token");
      }
    },
  );
});
