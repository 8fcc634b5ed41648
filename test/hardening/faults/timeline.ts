/** Prints what a fault test does, with the time since it began, to read alongside the process logs. */
export function createTimeline(suite: string): (event: string) => void {
  const started = performance.now();
  return (event) =>
    console.log(`[faults] ${suite} +${((performance.now() - started) / 1000).toFixed(1)} s: ${event}`);
}
