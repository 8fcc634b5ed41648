import { Counter, Gauge, type Registry } from "prom-client";

type Labels = Record<string, string>;

/** A gauge whose value is read when Prometheus scrapes (e.g. from a stats snapshot or a query). */
export function observedGauge(
  registry: Registry,
  name: string,
  help: string,
  read: () => number | Promise<number>,
): Gauge {
  return new Gauge({
    name,
    help,
    registers: [registry],
    async collect() {
      this.set(await read());
    },
  });
}

/** A gauge with one series per label set, all read when Prometheus scrapes. */
export function observedGaugeByLabels<L extends string>(
  registry: Registry,
  name: string,
  help: string,
  labelNames: readonly L[],
  read: () => Array<{ labels: Record<L, string>; value: number }>,
): Gauge<L> {
  return new Gauge<L>({
    name,
    help,
    labelNames,
    registers: [registry],
    collect() {
      this.reset();
      for (const { labels, value } of read()) this.set(labels as Labels as never, value);
    },
  });
}

/** A counter mirroring a running total kept elsewhere (e.g. events published since start). */
export function observedCounter(registry: Registry, name: string, help: string, read: () => number): Counter {
  return new Counter({
    name,
    help,
    registers: [registry],
    collect() {
      this.reset();
      this.inc(read());
    },
  });
}
