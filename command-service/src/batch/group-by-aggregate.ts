/** Groups items by aggregate id; groups appear in order of first mention and keep request order inside. */
export function groupByAggregate<T extends { aggregateId: string }>(items: T[]): T[][] {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const group = groups.get(item.aggregateId);
    if (group) group.push(item);
    else groups.set(item.aggregateId, [item]);
  }
  return [...groups.values()];
}
