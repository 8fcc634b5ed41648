import type { Sql, Statement } from "./sql.ts";

/** What a request id is doing: this call may run it, or an earlier call ran or is running it. */
export type Claim =
  | { kind: "claimed" }
  | { kind: "completed"; response: Uint8Array }
  | { kind: "in-progress" }
  | { kind: "different-payload" };

/** A claim whose batch never completed (its process died) can be taken over after this long. */
const abandonedAfter = "15 minutes";

const claim: Statement = {
  name: "claim-batch-request",
  text: `WITH claim AS (
      INSERT INTO batch_requests (request_id, payload_sha256) VALUES ($1, $2)
      ON CONFLICT (request_id) DO UPDATE SET payload_sha256 = EXCLUDED.payload_sha256, claimed_at = now()
      WHERE batch_requests.response IS NULL AND batch_requests.claimed_at < now() - $3::interval
      RETURNING 1)
    SELECT EXISTS (SELECT 1 FROM claim) AS claimed, earlier.payload_sha256, earlier.response
    FROM (SELECT 1) AS one LEFT JOIN batch_requests AS earlier ON earlier.request_id = $1`,
};

interface ClaimRow {
  claimed: boolean;
  payload_sha256: Buffer | null;
  response: Buffer | null;
}

/**
 * Claims a request id for one execution, in one statement: a new id (or an abandoned claim) is taken;
 * otherwise the earlier claim tells whether its stored response can be replayed.
 */
export async function claimRequest(sql: Sql, requestId: string, payloadSha256: Uint8Array): Promise<Claim> {
  const [row] = await sql.query<ClaimRow>(claim, [requestId, Buffer.from(payloadSha256), abandonedAfter]);
  if (row!.claimed) return { kind: "claimed" };
  if (!row!.payload_sha256?.equals(payloadSha256)) return { kind: "different-payload" };
  return row!.response ? { kind: "completed", response: row!.response } : { kind: "in-progress" };
}

const release: Statement = {
  name: "release-batch-request",
  text: "DELETE FROM batch_requests WHERE request_id = $1 AND response IS NULL",
};

/** Gives a claim up (the batch did not run), so a retry can run it. */
export async function releaseClaim(sql: Sql, requestId: string): Promise<void> {
  await sql.query(release, [requestId]);
}
