/**
 * What one relay round learned: the outbox sequence's value read just before its snapshot, a bound
 * above the transaction id of every writer that drew an id up to that value, the snapshot's xmin
 * (horizon), whether it drained the outbox, and the highest id it read.
 */
export interface RoundFacts {
  sequenceValue: bigint;
  drawnBelow: bigint;
  horizon: bigint;
  drained: boolean;
  maxRead: bigint | undefined;
}

/**
 * Ids at or below `floor` are settled: published, or never to be committed. `pending` holds what earlier
 * rounds covered, waiting for their transactions to end.
 */
export interface ScanFloor {
  floor: bigint;
  pending: { covered: bigint; drawnBelow: bigint }[];
}

export const initialScanFloor: ScanFloor = { floor: 0n, pending: [] };

/**
 * The floor after a round whose batch was published. A round covers the ids up to the sequence value
 * it read (or its last id, when it hit its limit): every row there that its snapshot saw is published,
 * and every other one belongs to a transaction below `drawnBelow` (outbox ids are drawn after the
 * transaction id). Once a later round's horizon passes that bound, those transactions have ended, and
 * if that round covers as far, whatever they committed was in it: the ids become settled. Pure.
 */
export function advanceScanFloor(state: ScanFloor, round: RoundFacts): ScanFloor {
  const covered =
    round.drained || round.maxRead === undefined || round.maxRead > round.sequenceValue
      ? round.sequenceValue
      : round.maxRead;
  let floor = state.floor;
  const pending = [];
  for (const candidate of state.pending) {
    if (candidate.drawnBelow <= round.horizon && candidate.covered <= covered) {
      if (candidate.covered > floor) floor = candidate.covered;
    } else pending.push(candidate);
  }
  const last = pending.at(-1);
  if (covered > floor && (!last || covered > last.covered))
    pending.push({ covered, drawnBelow: round.drawnBelow });
  return { floor, pending: pending.filter((candidate) => candidate.covered > floor) };
}
