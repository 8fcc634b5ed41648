import { InfrastructureError, TimeLimitExceeded } from "@conveyor/errors";
import { describe, expect, it } from "vitest";
import { databaseLimitError, databaseLimitLabels } from "./database-limit-error.ts";

const labels = databaseLimitLabels({
  statementTimeoutMs: 1,
  lockTimeoutMs: 2,
  idleInTransactionTimeoutMs: 3,
});
const pgError = (code: string, message: string) => Object.assign(new Error(message), { code });

describe("databaseLimitError", () => {
  it("names the statement timeout for PostgreSQL's statement-timeout cancel, also inside TypeORM and wrapping errors", () => {
    const cancelled = pgError("57014", "canceling statement due to statement timeout");
    const typeorm = Object.assign(new Error("QueryFailedError"), { driverError: cancelled });
    const wrapped = new InfrastructureError("bulk update statement failed", true, { cause: typeorm });
    for (const error of [cancelled, typeorm, wrapped]) {
      const typed = databaseLimitError(error, labels);
      expect(typed).toBeInstanceOf(TimeLimitExceeded);
      expect((typed as TimeLimitExceeded).limit).toBe("DB_STATEMENT_TIMEOUT_MS=1");
    }
  });

  it("makes lock and idle-in-transaction timeouts retriable, naming the limit", () => {
    const lock = databaseLimitError(pgError("55P03", "canceling statement due to lock timeout"), labels);
    expect(lock).toBeInstanceOf(InfrastructureError);
    expect((lock as InfrastructureError).retriable).toBe(true);
    expect(lock?.message).toContain("DB_LOCK_TIMEOUT_MS=2");
    const idle = databaseLimitError(
      pgError("25P03", "terminating connection due to idle-in-transaction timeout"),
      labels,
    );
    expect(idle?.message).toContain("DB_IDLE_IN_TRANSACTION_TIMEOUT_MS=3");
  });

  it("leaves other errors alone: a user's cancel, NOWAIT, a unique violation, plain errors", () => {
    for (const error of [
      pgError("57014", "canceling statement due to user request"),
      pgError("55P03", 'could not obtain lock on row in relation "tasks"'),
      pgError("23505", "duplicate key value violates unique constraint"),
      new Error("boom"),
      undefined,
    ])
      expect(databaseLimitError(error, labels)).toBeUndefined();
  });
});
