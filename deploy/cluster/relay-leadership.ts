import { withClient } from "../local/postgres.ts";
import type { ServiceInstance } from "./service-instances.ts";

/** What a command-service instance logs when its outbox relay takes the lead. */
export const relayLeaderMessage = "outbox relay is the leader";

/** The running command-service instances that have logged taking the relay lead. */
export function loggedRelayLeaders(commands: ServiceInstance[]): ServiceInstance[] {
  return commands.filter((instance) => instance.server.isRunning() && instance.hasLogged(relayLeaderMessage));
}

/**
 * How many sessions hold the outbox relay's advisory lock on the write database (at most one, by
 * PostgreSQL's lock manager; zero while no relay leads). pg_locks shows a bigint key as two 32-bit halves.
 */
export async function relayLockHolders(writeUrl: string): Promise<number> {
  return withClient(writeUrl, async (client) => {
    const { rows } = await client.query<{ holders: number }>(
      `SELECT count(*)::int AS holders FROM pg_locks
       WHERE locktype = 'advisory' AND granted
         AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
         AND ((classid::bigint << 32) | objid::bigint) = hashtext('conveyor.outbox-relay')::bigint`,
    );
    return rows[0]!.holders;
  });
}
