import type { BulkOperation } from "./bulk-operation.ts";
import { eventIdPrefix } from "./event-ids.ts";
import {
  countsCte,
  statementScope,
  wouldChangeSql,
  type Statement,
  type StatementScope,
} from "./statement.ts";

/** The ids of one key range: after `after` (null: from the first id) up to `upTo` inclusive (null: to the last). */
export interface KeyRange {
  after: string | null;
  upTo: string | null;
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

/** One row: the counts, and how many rows changed (each with one event). */
export interface UpdateRow {
  matched: string;
  precondition_failed: string;
  unchanged: string;
  updated: string;
}

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
  const keyRange = options.range ? keyRangeSql(scope, options.range) : "TRUE";
  const ctes = [
    countsCte(scope, keyRange),
    ...changedCtes(scope, keyRange, options.budget),
    eventsCte(scope, options),
  ];
  const text = `WITH ${ctes.join(",\n")}
    SELECT matched, precondition_failed, unchanged, (SELECT count(*) FROM changed) AS updated FROM counts`;
  return { text, values: scope.parameters.values };
}

function keyRangeSql<T, E, K extends keyof T>(scope: StatementScope<T, E, K>, range: KeyRange): string {
  const bounds = [
    ...(range.after === null ? [] : [`t.id > ${scope.sql.bind(range.after, "uuid")}`]),
    ...(range.upTo === null ? [] : [`t.id <= ${scope.sql.bind(range.upTo, "uuid")}`]),
  ];
  return bounds.length === 0 ? "TRUE" : `(${bounds.join(" AND ")})`;
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
