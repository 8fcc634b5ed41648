import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { ValidationError } from "@conveyor/errors";
import {
  always,
  and,
  arrayContains,
  columnMap,
  fieldAfter,
  fieldBefore,
  fieldEquals,
  fieldIsNull,
  never,
  not,
  or,
  SqlParameters,
  sqlContext,
  storableDate,
  storableText,
  type Specification,
} from "./index.ts";

interface Item {
  size: number;
  name: string;
  due: Date | null;
  tags: string[];
  secret: string;
}

const columns = columnMap<Item>({
  size: { name: "size", type: "integer" },
  name: { name: "name", type: "text" },
  due: { name: "due_at", type: "timestamptz", nullable: true },
  tags: { name: "tags", type: "text[]" },
});

function render(spec: Specification<Item>) {
  const parameters = new SqlParameters();
  return { text: spec.toSql(sqlContext(columns, parameters, "t")), values: parameters.values };
}

const item: Item = { size: 3, name: "box", due: null, tags: ["red"], secret: "x" };
const big = fieldEquals<Item, "size">("size", 3);
const boxed = fieldEquals<Item, "name">("name", "box");

describe("Specification", () => {
  it("combines in memory with and / or / not, always and never", () => {
    expect(big.and(boxed).isSatisfiedBy(item)).toBe(true);
    expect(big.and(boxed.not()).isSatisfiedBy(item)).toBe(false);
    expect(or(big.not(), boxed).isSatisfiedBy(item)).toBe(true);
    expect(not(or(big, boxed)).isSatisfiedBy(item)).toBe(false);
    expect(always<Item>().isSatisfiedBy(item)).toBe(true);
    expect(never<Item>().isSatisfiedBy(item)).toBe(false);
  });

  it("treats an empty and as always and an empty or as never", () => {
    expect(render(and())).toEqual({ text: "TRUE", values: [] });
    expect(render(or())).toEqual({ text: "FALSE", values: [] });
  });

  it("renders SQL with qualified allow-listed columns and every value bound as a typed parameter", () => {
    const spec = and(big, or(boxed.not(), fieldBefore<Item>("due", new Date("2026-01-01T00:00:00Z"))));
    expect(render(spec)).toEqual({
      text: '(("t"."size" = $1::integer) AND ((NOT ("t"."name" = $2::text)) OR ("t"."due_at" < $3::timestamptz AND "t"."due_at" IS NOT NULL)))',
      values: [3, "box", new Date("2026-01-01T00:00:00Z")],
    });
  });

  it("keeps hostile values out of the SQL text", () => {
    fc.assert(
      fc.property(fc.string(), (name) => {
        fc.pre(!name.includes("\u0000"));
        const { text, values } = render(
          fieldEquals<Item, "name">("name", name).or(arrayContains<Item>("tags", name)),
        );
        expect(text).toBe('(("t"."name" = $1::text) OR ("t"."tags" @> ARRAY[$2::text]))');
        expect(values).toEqual([name, name]);
      }),
    );
  });

  it("refuses a field outside the column allow-list", () => {
    expect(() => render(fieldEquals<Item, "secret">("secret", "x"))).toThrow(/not in the column allow-list/);
  });

  it("refuses column names and aliases that are not plain identifiers", () => {
    expect(() => columnMap<Item>({ name: { name: 'name"; DROP TABLE t; --', type: "text" } })).toThrow(
      /identifier/,
    );
    expect(() => sqlContext(columns, new SqlParameters(), "t; --")).toThrow(/identifier/);
  });

  it("never binds text PostgreSQL can't store as given", () => {
    expect(() => render(fieldEquals<Item, "name">("name", "a\u0000b"))).toThrow(/NUL/);
    expect(() => render(fieldEquals<Item, "name">("name", "a\ud800"))).toThrow(/surrogates/);
  });

  it("makes comparisons over a nullable column false, not unknown, for NULL", () => {
    const undated = { ...item, due: null };
    const before = fieldBefore<Item>("due", new Date("2026-01-01T00:00:00Z"));
    const after = fieldAfter<Item>("due", new Date("2026-01-01T00:00:00Z"));
    expect([
      before.isSatisfiedBy(undated),
      after.isSatisfiedBy(undated),
      before.not().isSatisfiedBy(undated),
    ]).toEqual([false, false, true]);
    expect(render(fieldIsNull<Item>("due"))).toEqual({ text: '("t"."due_at" IS NULL)', values: [] });
  });

  it("compares dates by instant", () => {
    const due = new Date("2026-05-01T10:00:00.000Z");
    expect(fieldEquals<Item, "due">("due", new Date(due.getTime())).isSatisfiedBy({ ...item, due })).toBe(
      true,
    );
  });
});

describe("storable values", () => {
  it("accepts text PostgreSQL stores exactly, refusing NUL, unpaired surrogates and overlong text", () => {
    expect(storableText("naïve 😀 ' \" \\ $1 %_", "name", 100)).toBe("naïve 😀 ' \" \\ $1 %_");
    for (const bad of ["a\u0000", "\udc00x", "x\ud83d"]) {
      expect(() => storableText(bad, "filter.name", 100)).toThrow(ValidationError);
    }
    expect(() => storableText("abcd", "name", 3)).toThrow(/at most 3 characters/);
  });

  it("accepts dates from year 1 to 9999 only", () => {
    expect(storableDate(new Date("0001-01-01T00:00:00Z"), "d")).toEqual(new Date("0001-01-01T00:00:00Z"));
    expect(() => storableDate(new Date("10000-01-01T00:00:00Z"), "d")).toThrow(ValidationError);
    expect(() => storableDate(new Date(Number.NaN), "d")).toThrow(ValidationError);
  });
});
