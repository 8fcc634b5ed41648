import { ValidationError } from "@conveyor/errors";

/**
 * Read-your-writes tokens. A token names a write-database transaction id horizon T: the xmax of a snapshot
 * taken after the request's transactions committed, so every transaction of the request has an id below T.
 * The relay publishes watermarks W (the xmin of the snapshot of a round that drained the outbox: every
 * transaction below W had ended, and all its events were acknowledged by Kafka) together with the topics'
 * end offsets at that moment. The read model has reached a token once it has applied, on every partition,
 * the offsets of the first watermark W >= T. One 64-bit number covers any request, from one command to a
 * million-row bulk update spread over many transactions and partitions.
 */
const prefix = "ct1.";
const shape = /^ct1\.(\d{1,20})$/;

/** The SQL that reads a consistency token's horizon on the write database (one column, `xmax`). */
export const consistencyHorizonSql = "SELECT pg_snapshot_xmax(pg_current_snapshot())::text AS xmax";

/** Reads a token for everything committed so far; `query` runs SQL on the write database and returns rows. */
export async function readConsistencyToken(
  query: (sql: string) => Promise<{ xmax: string }[]>,
): Promise<string> {
  const [row] = await query(consistencyHorizonSql);
  if (!row) throw new Error("reading the consistency horizon returned no row");
  return encodeConsistencyToken(BigInt(row.xmax));
}

export function encodeConsistencyToken(horizon: bigint): string {
  return `${prefix}${horizon}`;
}

/** The horizon a token names; a malformed token is a ValidationError on `field`. */
export function decodeConsistencyToken(token: string, field = "options.consistency_token"): bigint {
  const match = shape.exec(token);
  if (!match)
    throw new ValidationError(field, "not a consistency token (expected one from a command response)");
  const horizon = BigInt(match[1]!);
  if (horizon >= 2n ** 63n) throw new ValidationError(field, "consistency token out of range");
  return horizon;
}
