import { LimitExceeded, ValidationError } from "@conveyor/errors";
import { always, and, never, not, or, type Specification } from "@conveyor/specification";
import type { Filter } from "@conveyor/proto/conveyor/command/v1/bulk_pb";
import { bulkLimits } from "../bulk/bulk-limits.ts";

type Node = Filter["node"];
type PredicateCase = "task" | "user" | "order";
type PredicateOf<C extends PredicateCase> = Extract<Node, { case: C }>["value"];

/** Maps the predicates of one aggregate type to specifications; predicates of other types are refused. */
export interface PredicateMapper<T, C extends PredicateCase> {
  aggregate: C;
  /** What the operation changes, e.g. "tasks", for messages. */
  plural: string;
  map(predicate: PredicateOf<C>, path: string): Specification<T>;
}

/**
 * Maps a request's filter tree to one specification. Bad trees get a ValidationError naming the field
 * path of the offending node (e.g. "filter.and.filters[1].user"); trees over the size limits a LimitExceeded.
 */
export function filterSpecification<T, C extends PredicateCase>(
  filter: Filter | undefined,
  mapper: PredicateMapper<T, C>,
  path = "filter",
): Specification<T> {
  if (!filter) throw new ValidationError(path, "required; use {always: true} to select every aggregate");
  const walker = new FilterWalker(mapper);
  return walker.walk(filter, path, 1);
}

class FilterWalker<T, C extends PredicateCase> {
  private nodes = 0;

  constructor(private readonly mapper: PredicateMapper<T, C>) {}

  walk(filter: Filter, path: string, depth: number): Specification<T> {
    this.count(depth);
    const { node } = filter;
    switch (node.case) {
      case "and":
        return and(...this.list(node.value.filters, `${path}.and.filters`, depth));
      case "or":
        return or(...this.list(node.value.filters, `${path}.or.filters`, depth));
      case "not":
        return not(this.walk(node.value, `${path}.not`, depth + 1));
      case "always":
        return constant(node.value, `${path}.always`, always<T>());
      case "never":
        return constant(node.value, `${path}.never`, never<T>());
      case "task":
      case "user":
      case "order":
        return this.predicate(node, `${path}.${node.case}`);
      case undefined:
        throw new ValidationError(
          path,
          "empty filter node: set one of and, or, not, always, never, task, user, order",
        );
    }
  }

  private list(filters: Filter[], path: string, depth: number): Specification<T>[] {
    if (filters.length === 0) throw new ValidationError(path, "must not be empty");
    return filters.map((child, i) => this.walk(child, `${path}[${i}]`, depth + 1));
  }

  private predicate(node: Extract<Node, { case: PredicateCase }>, path: string): Specification<T> {
    if (node.case !== this.mapper.aggregate) {
      throw new ValidationError(
        path,
        `a ${node.case} predicate can't filter ${this.mapper.plural}: the operation changes ${this.mapper.plural}`,
      );
    }
    return this.mapper.map(node.value as PredicateOf<C>, path);
  }

  private count(depth: number): void {
    this.nodes += 1;
    if (depth > bulkLimits.maxFilterDepth) {
      throw new LimitExceeded(
        "max_filter_depth",
        `a filter is at most ${bulkLimits.maxFilterDepth} levels deep`,
      );
    }
    if (this.nodes > bulkLimits.maxFilterNodes) {
      throw new LimitExceeded("max_filter_nodes", `a filter has at most ${bulkLimits.maxFilterNodes} nodes`);
    }
  }
}

function constant<T>(value: boolean, path: string, spec: Specification<T>): Specification<T> {
  if (!value) throw new ValidationError(path, "must be true (omit a node rather than set it false)");
  return spec;
}
