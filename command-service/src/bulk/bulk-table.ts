import type { ColumnMap } from "@conveyor/specification";

/**
 * An aggregate's table as bulk SQL sees it. Every aggregate table has `id uuid` (the key ranges are
 * cut on), `version bigint` and `updated_at`; specifications and assignments may name only `columns`.
 */
export interface BulkTable<T> {
  /** A plain lower-case identifier. */
  readonly name: string;
  readonly aggregateType: "TASK" | "USER" | "ORDER";
  /** The allow-list. */
  readonly columns: ColumnMap<T>;
}
