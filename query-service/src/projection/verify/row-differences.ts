/** A row as verify compares it: its id and every other column as text (null where the column is null). */
export type ComparableRow = { id: string } & Record<string, string | null>;

export type RowDifference =
  | { table: string; id: string; kind: "missing"; expected: ComparableRow }
  | { table: string; id: string; kind: "unexpected"; actual: ComparableRow }
  | {
      table: string;
      id: string;
      kind: "different";
      fields: { field: string; expected: string | null; actual: string | null }[];
    };

/**
 * Merges two streams of rows sorted by id (the same order on both sides) and yields every difference:
 * a row the read model lacks, a row it should not have, or a row whose fields differ. Pure.
 */
export async function* rowDifferences(
  table: string,
  expected: AsyncIterable<ComparableRow>,
  actual: AsyncIterable<ComparableRow>,
): AsyncGenerator<RowDifference> {
  const left = expected[Symbol.asyncIterator]();
  const right = actual[Symbol.asyncIterator]();
  const next = async (rows: AsyncIterator<ComparableRow>) => {
    const result = await rows.next();
    return result.done ? undefined : result.value;
  };
  let [e, a] = await Promise.all([next(left), next(right)]);
  while (e || a) {
    if (e && (!a || e.id < a.id)) {
      yield { table, id: e.id, kind: "missing", expected: e };
      e = await next(left);
    } else if (a && (!e || a.id < e.id)) {
      yield { table, id: a.id, kind: "unexpected", actual: a };
      a = await next(right);
    } else if (e && a) {
      const fields = fieldDifferences(e, a);
      if (fields.length > 0) yield { table, id: e.id, kind: "different", fields };
      [e, a] = await Promise.all([next(left), next(right)]);
    }
  }
}

function fieldDifferences(expected: ComparableRow, actual: ComparableRow) {
  return Object.keys(expected)
    .filter((field) => expected[field] !== actual[field])
    .map((field) => ({ field, expected: expected[field] ?? null, actual: actual[field] ?? null }));
}
