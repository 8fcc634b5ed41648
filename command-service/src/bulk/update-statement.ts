import type { BulkOperation } from "./bulk-operation.ts";
import { eventIdPrefix } from "./event-ids.ts";
import {
  countsCte,
  statementScope,
  wouldChangeSql,
  type Statement,
  type StatementScope,
} from "./statement.ts";

/** Where a ranged statement starts, and how many changing rows it takes at most. */
export interface KeyRange {
  /** The last id of the previous range; null for the first range. */
  after: string | null;
  size: number;
}

export interface UpdateOptions {
  correlationId: string;
  causationId: string;
  /** The W3C traceparent every event carries (default "": none); one bound value, no per-row work. */
  traceContext?: string;
  /** Change nothing when more rows than this would change. */
  budget: number;
  /** null: every row in one statement. */
  range: KeyRange | null;
}

/** One row: the counts, how many rows changed (each with one event), and range_end (null: no range or the last). */
export interface UpdateRow {
  matched: string;
  precondition_failed: string;
  unchanged: string;
  updated: string;
  range_end: string | null;
}

const maxUuid = "ffffffff-ffff-ffff-ffff-ffffffffffff";

/**
 * The bulk update as ONE statement: count, check the budget, update the selected rows (bumping their
 * versions), and insert one outbox event per changed row. Rows already in the target state are not
 * written. Under READ COMMITTED a row that a concurrent transaction changed is re-checked against the
 * whole selection after its lock is granted, so preconditions hold and no update is lost.
 */
export function updateStatement<T, E, K extends keyof T>(
  operation: BulkOperation<T, E, K>,
  options: UpdateOptions,
): Statement {
  const scope = statementScope(operation);
  const { range } = options;
  const bounds = range ? [boundsCte(scope, range)] : [];
  const keyRange = range ? keyRangeSql(scope, range) : "TRUE";
  const ctes = [
    ...bounds,
    countsCte(scope, keyRange),
    ...changedCtes(scope, keyRange, options.budget),
    eventsCte(scope, options),
  ];
  const rangeEnd = range ? "(SELECT upper FROM bounds)" : "NULL::uuid";
  const text = `WITH ${ctes.join(",\n")}
    SELECT matched, precondition_failed, unchanged, (SELECT count(*) FROM changed) AS updated,
      ${rangeEnd} AS range_end
    FROM counts`;
  return { text, values: scope.parameters.values };
}

// The range ends at the range.size-th changing row after `after`. When no changing row follows that
// one, this is the last range and it runs to the end of the key space instead (upper is NULL).
function boundsCte<T, E, K extends keyof T>(scope: StatementScope<T, E, K>, range: KeyRange): string {
  const after = range.after === null ? "" : ` AND t.id > ${scope.sql.bind(range.after, "uuid")}`;
  return `bounds AS MATERIALIZED (
    SELECT CASE WHEN cardinality(ids) = 2 THEN ids[1] END AS upper
    FROM (SELECT ARRAY(SELECT t.id FROM ${scope.table} t WHERE ${scope.operation.command.selection.toSql(scope.sql)}${after}
      ORDER BY t.id OFFSET ${scope.sql.bind(range.size - 1, "bigint")} LIMIT 2) AS ids) AS next_ids
  )`;
}

function keyRangeSql<T, E, K extends keyof T>(scope: StatementScope<T, E, K>, range: KeyRange): string {
  const upper = `t.id <= COALESCE((SELECT upper FROM bounds), '${maxUuid}'::uuid)`;
  return range.after === null ? `(${upper})` : `(t.id > ${scope.sql.bind(range.after, "uuid")} AND ${upper})`;
}

// Without event fields a plain UPDATE ... RETURNING suffices. When the event reads the state before the
// change (e.g. the previous status), the rows are first locked (FOR NO KEY UPDATE, the lock an UPDATE
// of non-key columns takes, so foreign-key checks of new orders are not blocked), which returns their
// latest committed version: the values the event reports are the ones actually replaced.
function changedCtes<T, E, K extends keyof T>(
  scope: StatementScope<T, E, K>,
  keyRange: string,
  budget: number,
): string[] {
  const { command } = scope.operation;
  const where = `${command.selection.toSql(scope.sql)} AND ${keyRange} AND ${wouldChangeSql} <= ${scope.sql.bind(budget, "bigint")}`;
  const set = `${command.setClause(scope.sql)}, version = t.version + 1, updated_at = now()`;
  if (command.eventFields.length === 0) {
    return [`changed AS (UPDATE ${scope.table} t SET ${set} WHERE ${where} RETURNING t.id, t.version)`];
  }
  const before = command.eventFields.map(
    (field, i) => `${scope.sql.column(field as keyof T & string)} AS before_${i}`,
  );
  return [
    `target AS MATERIALIZED (SELECT t.id, ${before.join(", ")} FROM ${scope.table} t WHERE ${where} FOR NO KEY UPDATE)`,
    `changed AS (UPDATE ${scope.table} t SET ${set} FROM target WHERE t.id = target.id
      RETURNING t.id, t.version, ${command.eventFields.map((_, i) => `target.before_${i}`).join(", ")})`,
  ];
}

// Each event variant (one per combination of the before-values the event reads) is computed in memory
// by the command itself. An event that reads nothing has one variant, bound as constants; otherwise the
// variants are joined in by those values. A row without a variant would insert a NULL payload, which
// the outbox's NOT NULL refuses: the whole statement fails rather than lose an event. So every changed
// row gets exactly one event, and the statement need not count them (RETURNING them to count would
// materialize a row per event).
function eventsCte<T, E, K extends keyof T>(scope: StatementScope<T, E, K>, options: UpdateOptions): string {
  const { command, table } = scope.operation;
  const fields = command.eventFields as ReadonlyArray<K & keyof T & string>;
  const rows = command.eventVariants().map(({ before, event }) => {
    const { eventType, payload } = scope.operation.wire(event);
    const keys = fields.map((field) => scope.sql.value(field, before[field] as never));
    return [...keys, scope.sql.bind(eventType, "text"), scope.sql.bind(JSON.stringify(payload), "jsonb")];
  });
  // An event that reads no field has exactly one variant.
  const [eventType, payload, from] =
    fields.length === 0
      ? [rows[0]![0], rows[0]![1], "changed"]
      : ["variants.event_type", "variants.payload", `changed LEFT JOIN ${variantsSql(rows, fields.length)}`];
  return `events AS (
    INSERT INTO outbox (event_id, aggregate_type, aggregate_id, aggregate_version, event_type, payload, correlation_id, causation_id, trace_context)
    SELECT (${scope.sql.bind(eventIdPrefix(), "text")} || lpad(to_hex(row_number() OVER ()), 8, '0'))::uuid,
      ${scope.sql.bind(table.aggregateType, "text")}, changed.id, changed.version, ${eventType}, ${payload},
      ${scope.sql.bind(options.correlationId, "text")}, ${scope.sql.bind(options.causationId, "text")},
      ${scope.sql.bind(options.traceContext ?? "", "text")}
    FROM ${from}
  )`;
}

function variantsSql(rows: string[][], fields: number): string {
  const keys = Array.from({ length: fields }, (_, i) => `before_${i}`);
  const on = keys.map((key) => `variants.${key} = changed.${key}`).join(" AND ");
  const values = rows.map((row) => `(${row.join(", ")})`).join(", ");
  return `(VALUES ${values}) AS variants(${[...keys, "event_type", "payload"].join(", ")}) ON ${on}`;
}
