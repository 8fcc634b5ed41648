export type AggregateKind = "user" | "order" | "task";

/** One aggregate the load works on, with the newest version any response has reported for it. */
export interface PooledAggregate {
  id: string;
  kind: AggregateKind;
  /** Newest version seen in a response: a stale guess when another client changed it since. */
  knownVersion: bigint;
}

/**
 * The aggregates every load client shares, so their batches overlap and their expected versions go
 * stale. Created aggregates join once a response confirms them.
 */
export class AggregatePool {
  private readonly byKind: Record<AggregateKind, PooledAggregate[]> = { user: [], order: [], task: [] };
  private readonly byId = new Map<string, PooledAggregate>();

  add(id: string, kind: AggregateKind, version: bigint): void {
    if (this.byId.has(id)) return;
    const aggregate = { id, kind, knownVersion: version };
    this.byId.set(id, aggregate);
    this.byKind[kind].push(aggregate);
  }

  /** Records a version a response reported (never moves backwards). */
  observe(id: string, version: bigint): void {
    const aggregate = this.byId.get(id);
    if (aggregate && version > aggregate.knownVersion) aggregate.knownVersion = version;
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  /** The aggregates of `kind`, the newest `recent` of them when given (orders and tasks age into final states). */
  of(kind: AggregateKind, recent?: number): readonly PooledAggregate[] {
    const all = this.byKind[kind];
    return recent === undefined ? all : all.slice(-recent);
  }

  size(): number {
    return this.byId.size;
  }
}
