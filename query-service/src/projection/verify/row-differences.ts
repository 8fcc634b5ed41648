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
  let [e, a] = await Promise.all([left.next(), right.next()]);
  while (!e.done || !a.done) {
    if (a.done || (!e.done && e.value.id < a.value.id)) {
      yield { table, id: e.value!.id, kind: "missing", expected: e.value! };
      e = await left.next();
    } else if (e.done || a.value.id < e.value.id) {
      yield { table, id: a.value.id, kind: "unexpected", actual: a.value };
      a = await right.next();
    } else {
      const fields = fieldDifferences(e.value, a.value);
      if (fields.length > 0) yield { table, id: e.value.id, kind: "different", fields };
      [e, a] = await Promise.all([left.next(), right.next()]);
    }
  }
}

function fieldDifferences(expected: ComparableRow, actual: ComparableRow) {
  return Object.keys(expected)
    .filter((field) => expected[field] !== actual[field])
    .map((field) => ({ field, expected: expected[field] ?? null, actual: actual[field] ?? null }));
}
