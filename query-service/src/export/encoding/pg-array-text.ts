/**
 * The elements of a one-dimensional PostgreSQL text[] in its output form, e.g. `{a,"b c","d\"e"}`
 * (elements with special characters are double-quoted with backslash escapes; NULL is unquoted).
 */
export function parsePgTextArray(text: string): (string | null)[] {
  if (text.length < 2 || text[0] !== "{" || text.at(-1) !== "}")
    throw new Error(`not a text[] value: ${text}`);
  const elements: (string | null)[] = [];
  let i = 1;
  while (i < text.length - 1) {
    const [element, next] = text[i] === '"' ? quoted(text, i + 1) : unquoted(text, i);
    elements.push(element);
    i = next + 1; // skip the comma
  }
  return elements;
}

function quoted(text: string, from: number): [string, number] {
  let value = "";
  let i = from;
  for (; text[i] !== '"'; i++) value += text[i] === "\\" ? text[++i] : text[i];
  return [value, i + 1];
}

function unquoted(text: string, from: number): [string | null, number] {
  let end = text.indexOf(",", from);
  if (end === -1) end = text.length - 1;
  const value = text.slice(from, end);
  return [value === "NULL" ? null : value, end];
}
