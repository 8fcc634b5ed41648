import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { Health, HealthCheckResponse_ServingStatus } from "@conveyor/proto/grpc/health/v1/health_pb";
import { describe, expect, inject, it } from "vitest";
import { withClient } from "../../deploy/local/postgres.ts";
import { startStack } from "./stack.ts";

const tableCount = (url: string) =>
  withClient(url, async (client) => {
    const result = await client.query<{ count: number }>(
      "SELECT count(*)::int AS count FROM information_schema.tables WHERE table_schema = 'public'",
    );
    return result.rows[0]?.count;
  });

const databaseExists = (name: string) =>
  withClient(inject("databaseAdminUrl"), async (client) => {
    const result = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    return result.rowCount === 1;
  });

describe("startStack", () => {
  it("serves both services on migrated databases of their own, and drops those databases on stop", async () => {
    const stack = await startStack("stack");
    try {
      for (const baseUrl of [stack.commandUrl, stack.queryUrl]) {
        const health = createClient(Health, createGrpcTransport({ baseUrl }));
        expect((await health.check({})).status).toBe(HealthCheckResponse_ServingStatus.SERVING);
      }
      expect(await tableCount(stack.writeDatabaseUrl)).toBeGreaterThan(0);
      expect(await tableCount(stack.readDatabaseUrl)).toBeGreaterThan(0);
    } finally {
      await stack.stop();
    }
    const names = [stack.writeDatabaseUrl, stack.readDatabaseUrl].map((url) =>
      new URL(url).pathname.slice(1),
    );
    expect(await Promise.all(names.map(databaseExists))).toEqual([false, false]);
  });
});
