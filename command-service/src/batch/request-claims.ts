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
  text: `INSERT INTO batch_requests (request_id, payload_sha256) VALUES ($1, $2)
    ON CONFLICT (request_id) DO UPDATE SET payload_sha256 = EXCLUDED.payload_sha256, claimed_at = now()
    WHERE batch_requests.response IS NULL AND batch_requests.claimed_at < now() - $3::interval
    RETURNING true AS claimed`,
};

// A statement of its own: the claim statement's snapshot may predate the conflicting claim it waited for.
const earlier: Statement = {
  name: "earlier-batch-request",
  text: "SELECT payload_sha256, response FROM batch_requests WHERE request_id = $1",
};

/**
 * Claims a request id for one execution: a new id (or an abandoned claim) is taken; otherwise the
 * earlier claim tells whether its stored response can be replayed. Two round trips only for a repeat.
 */
export async function claimRequest(sql: Sql, requestId: string, payloadSha256: Uint8Array): Promise<Claim> {
  for (;;) {
    const claimed = await sql.query(claim, [requestId, Buffer.from(payloadSha256), abandonedAfter]);
    if (claimed.length > 0) return { kind: "claimed" };
    const [row] = await sql.query<{ payload_sha256: Buffer; response: Buffer | null }>(earlier, [requestId]);
    // No row: the earlier claim was released in between, so try to claim again.
    if (!row) continue;
    if (!row.payload_sha256.equals(payloadSha256)) return { kind: "different-payload" };
    return row.response ? { kind: "completed", response: row.response } : { kind: "in-progress" };
  }
}

const release: Statement = {
  name: "release-batch-request",
  text: "DELETE FROM batch_requests WHERE request_id = $1 AND response IS NULL",
};

/** Gives a claim up (the batch did not run), so a retry can run it. */
export async function releaseClaim(sql: Sql, requestId: string): Promise<void> {
  await sql.query(release, [requestId]);
}
