/**
 * Finds the nodes that lie on a cycle of a directed graph (node -> the nodes it points to), with one
 * cycle through each, e.g. a -> b -> a. Nodes that merely lead into a cycle are not included.
 */
export function findCycles(edges: ReadonlyMap<string, readonly string[]>): Map<string, string[]> {
  const cycles = new Map<string, string[]>();
  for (const start of edges.keys()) {
    if (cycles.has(start)) continue;
    const path = pathBack(edges, start);
    if (path)
      for (const node of path.slice(0, -1)) if (!cycles.has(node)) cycles.set(node, rotate(path, node));
  }
  return cycles;
}

/** A path start -> ... -> start, if there is one (depth first). */
function pathBack(edges: ReadonlyMap<string, readonly string[]>, start: string): string[] | undefined {
  const seen = new Set<string>();
  const walk = (node: string, path: string[]): string[] | undefined => {
    for (const next of edges.get(node) ?? []) {
      if (next === start) return [...path, next];
      if (seen.has(next)) continue;
      seen.add(next);
      const found = walk(next, [...path, next]);
      if (found) return found;
    }
    return undefined;
  };
  return walk(start, [start]);
}

/** The same cycle written from `node`: [b, c, a, b] for node b of [a, b, c, a]. */
function rotate(cycle: string[], node: string): string[] {
  const nodes = cycle.slice(0, -1);
  const at = nodes.indexOf(node);
  const rotated = [...nodes.slice(at), ...nodes.slice(0, at)];
  return [...rotated, node];
}
