import type { EventLog } from "./event-log.ts";
import type { Outcome } from "./load-ledger.ts";

export interface LoadVerdict {
  /** Events a response promised that are not in Kafka, plus versions missing from an aggregate's history. */
  lost: number;
  /** Events in Kafka that no response promised (a refused or failed request that wrote anyway). */
  phantom: number;
  /** Aggregates whose write-model version differs from the events applied to them. */
  versionMismatches: number;
  /** Aggregates checked. */
  aggregates: number;
  /** The first few problems, for the failure message. */
  problems: string[];
}

const shown = 20;

/**
 * Holds the answers of the load against what was written: every aggregate's version must equal the
 * events applied to it (the events each batch response reported, plus the rows bulk updates changed),
 * Kafka must hold each version 1..version exactly once, and each request exactly the events it reported.
 */
export function judgeLoad(
  outcomes: ReadonlyMap<string, Outcome>,
  log: EventLog,
  writeVersions: ReadonlyMap<string, bigint>,
): LoadVerdict {
  const verdict: LoadVerdict = {
    lost: 0,
    phantom: 0,
    versionMismatches: 0,
    aggregates: writeVersions.size,
    problems: [],
  };
  const problem = (text: string) => {
    if (verdict.problems.length < shown) verdict.problems.push(text);
  };
  const written = eventsByRequest(log);
  const applied = appliedEvents(outcomes, log);
  for (const [requestId, outcome] of outcomes) {
    const actual = written.get(requestId) ?? new Map<string, number>();
    compareRequest(requestId, outcome, actual, verdict, problem);
  }
  for (const [requestId, perAggregate] of written) {
    if (outcomes.has(requestId)) continue;
    const events = sum(perAggregate.values());
    verdict.phantom += events;
    problem(`request ${requestId} that no client sent wrote ${events} event(s)`);
  }
  for (const [id, version] of writeVersions) {
    const history = log.aggregates.get(id)?.versions ?? new Map<bigint, string>();
    for (let v = 1n; v <= version; v += 1n) {
      if (history.has(v)) continue;
      verdict.lost += 1;
      problem(`${id}: version ${v} of ${version} never reached Kafka`);
    }
    for (const v of history.keys()) {
      if (v <= version) continue;
      verdict.phantom += 1;
      problem(`${id}: Kafka has version ${v}, the write model only ${version}`);
    }
    const events = applied.get(id) ?? 0n;
    if (events !== version) {
      verdict.versionMismatches += 1;
      problem(`${id}: version ${version}, but ${events} event(s) were applied to it`);
    }
  }
  for (const [id, events] of applied) {
    if (writeVersions.has(id) || events === 0n) continue;
    verdict.lost += Number(events);
    verdict.versionMismatches += 1;
    problem(`${id}: ${events} event(s) were applied to it, but the write model lacks it`);
  }
  for (const id of log.aggregates.keys()) {
    if (writeVersions.has(id)) continue;
    verdict.phantom += log.aggregates.get(id)!.versions.size;
    problem(`${id}: events in Kafka for an aggregate the write model lacks`);
  }
  return verdict;
}

function compareRequest(
  requestId: string,
  outcome: Outcome,
  actual: Map<string, number>,
  verdict: LoadVerdict,
  problem: (text: string) => void,
): void {
  switch (outcome.kind) {
    case "unknown":
      return;
    case "total": {
      const events = sum(actual.values());
      if (events < outcome.events) verdict.lost += outcome.events - events;
      if (events > outcome.events) verdict.phantom += events - outcome.events;
      if (events !== outcome.events)
        problem(`bulk ${requestId}: reported ${outcome.events} event(s), Kafka has ${events}`);
      return;
    }
    case "events":
      for (const id of new Set([...outcome.perAggregate.keys(), ...actual.keys()])) {
        const promised = outcome.perAggregate.get(id) ?? 0;
        const events = actual.get(id) ?? 0;
        if (events < promised) verdict.lost += promised - events;
        if (events > promised) verdict.phantom += events - promised;
        if (events !== promised)
          problem(`batch ${requestId} ${id}: reported ${promised} event(s), Kafka has ${events}`);
      }
  }
}

/**
 * The events applied to each aggregate: what batch responses reported for it, plus what bulk updates (whose
 * responses only give totals) and requests of unknown outcome wrote to it.
 */
function appliedEvents(outcomes: ReadonlyMap<string, Outcome>, log: EventLog): Map<string, bigint> {
  const applied = new Map<string, bigint>();
  const add = (id: string, events: number) => applied.set(id, (applied.get(id) ?? 0n) + BigInt(events));
  for (const outcome of outcomes.values())
    if (outcome.kind === "events") for (const [id, events] of outcome.perAggregate) add(id, events);
  for (const [id, { byRequest }] of log.aggregates)
    for (const [requestId, events] of byRequest)
      if (outcomes.get(requestId)?.kind !== "events" && outcomes.has(requestId)) add(id, events);
  return applied;
}

function eventsByRequest(log: EventLog): Map<string, Map<string, number>> {
  const byRequest = new Map<string, Map<string, number>>();
  for (const [id, { byRequest: counts }] of log.aggregates)
    for (const [requestId, events] of counts) {
      let perAggregate = byRequest.get(requestId);
      if (!perAggregate) byRequest.set(requestId, (perAggregate = new Map<string, number>()));
      perAggregate.set(id, events);
    }
  return byRequest;
}

function sum(values: Iterable<number>): number {
  let total = 0;
  for (const value of values) total += value;
  return total;
}
