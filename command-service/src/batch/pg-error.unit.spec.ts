import { describe, expect, it } from "vitest";
import { isConnectionFailure, isForeignKeyViolation, isUniqueViolation } from "./pg-error.ts";

const pgError = (code: string, constraint?: string) => Object.assign(new Error("pg"), { code, constraint });

describe("PostgreSQL error classification", () => {
  it.each(["08006", "08001", "57P01", "57P03", "ECONNREFUSED", "ECONNRESET", "EPIPE"])(
    "takes %s for a lost or refused connection",
    (code) => {
      expect(isConnectionFailure(pgError(code))).toBe(true);
    },
  );

  it.each(["23505", "40P01", "3D000", "42P01"])("does not take %s for one", (code) => {
    expect(isConnectionFailure(pgError(code))).toBe(false);
  });

  it("reads errors from pg and from TypeORM's wrapper alike, matching the constraint", () => {
    expect(isUniqueViolation(pgError("23505", "users_email_key"), "users_email_key")).toBe(true);
    expect(isUniqueViolation({ driverError: pgError("23505", "users_email_key") }, "users_email_key")).toBe(
      true,
    );
    expect(isUniqueViolation(pgError("23505", "users_pkey"), "users_email_key")).toBe(false);
    expect(
      isForeignKeyViolation(pgError("23503", "orders_customer_id_fkey"), "orders_customer_id_fkey"),
    ).toBe(true);
    expect(isConnectionFailure(new Error("no code"))).toBe(false);
    expect(isConnectionFailure(Object.assign(new Error("numeric"), { code: 8 }))).toBe(false);
  });
});
