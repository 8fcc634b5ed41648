import { describe, expect, it } from "vitest";
import { loadDatabaseLimits, postgresSessionSettings } from "./database-limits.ts";
import { loadServerLimits } from "./server-limits.ts";

describe("loadServerLimits", () => {
  it("takes the documented defaults when nothing is set", () => {
    expect(loadServerLimits({})).toEqual({
      readMaxBytes: 4 * 1024 * 1024,
      writeMaxBytes: 4 * 1024 * 1024,
      maxConcurrentStreams: 100,
      maxUnaryDeadlineMs: 300_000,
      maxStreamDeadlineMs: 7_200_000,
      reflection: true,
      tls: undefined,
    });
  });

  it("reads every limit from its variable", () => {
    expect(
      loadServerLimits({
        READ_MAX_BYTES: "1",
        WRITE_MAX_BYTES: "2",
        MAX_CONCURRENT_STREAMS: "3",
        MAX_UNARY_DEADLINE_MS: "4",
        MAX_STREAM_DEADLINE_MS: "5",
        REFLECTION: "OFF",
        TLS_CERT_FILE: "/c.pem",
        TLS_KEY_FILE: "/k.pem",
        TLS_CA_FILE: "/ca.pem",
      }),
    ).toEqual({
      readMaxBytes: 1,
      writeMaxBytes: 2,
      maxConcurrentStreams: 3,
      maxUnaryDeadlineMs: 4,
      maxStreamDeadlineMs: 5,
      reflection: false,
      tls: { certFile: "/c.pem", keyFile: "/k.pem", caFile: "/ca.pem" },
    });
  });

  it("fails loudly on a bad value, naming the variable", () => {
    expect(() => loadServerLimits({ WRITE_MAX_BYTES: "0" })).toThrow("WRITE_MAX_BYTES must be positive");
    expect(() => loadServerLimits({ MAX_UNARY_DEADLINE_MS: "soon" })).toThrow("MAX_UNARY_DEADLINE_MS");
    expect(() => loadServerLimits({ REFLECTION: "maybe" })).toThrow('REFLECTION must be "on" or "off"');
    expect(() => loadServerLimits({ TLS_CERT_FILE: "/c.pem" })).toThrow("TLS_KEY_FILE");
    expect(() => loadServerLimits({ TLS_CA_FILE: "/ca.pem" })).toThrow("TLS_CA_FILE needs");
  });
});

describe("loadDatabaseLimits", () => {
  it("turns the pool timeouts into node-postgres session settings", () => {
    expect(postgresSessionSettings(loadDatabaseLimits({}))).toEqual({
      statement_timeout: 60_000,
      lock_timeout: 10_000,
      idle_in_transaction_session_timeout: 60_000,
    });
    expect(
      postgresSessionSettings(
        loadDatabaseLimits({
          DB_STATEMENT_TIMEOUT_MS: "1",
          DB_LOCK_TIMEOUT_MS: "2",
          DB_IDLE_IN_TRANSACTION_TIMEOUT_MS: "3",
        }),
      ),
    ).toEqual({ statement_timeout: 1, lock_timeout: 2, idle_in_transaction_session_timeout: 3 });
  });
});
