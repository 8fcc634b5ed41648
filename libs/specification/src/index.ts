export {
  specification,
  named,
  always,
  never,
  and,
  or,
  not,
  type Specification,
  type SpecificationDefinition,
} from "./specification.ts";
export {
  fieldEquals,
  fieldIsNull,
  fieldBefore,
  fieldAfter,
  arrayContains,
  sameValue,
  type Comparable,
} from "./field-specifications.ts";
export {
  bulkCommand,
  type BulkCommand,
  type BulkCommandDefinition,
  type Assignments,
  type Outcome,
  type Execution,
  type EventVariant,
} from "./bulk-command.ts";
export { sqlContext, type SqlContext } from "./sql-context.ts";
export {
  SqlParameters,
  columnMap,
  assertIdentifier,
  isStorableText,
  type Column,
  type ColumnMap,
  type SqlType,
  type SqlValue,
} from "./sql.ts";
export { storableText, storableDate, earliestDate, latestDate } from "./storable-values.ts";
