import { Writable } from "node:stream";

/** A pino destination that keeps every line, parsed, for tests to search. */
export interface LogCapture {
  destination: Writable;
  lines(): Array<Record<string, unknown>>;
}

export function createLogCapture(): LogCapture {
  const lines: Array<Record<string, unknown>> = [];
  let partial = "";
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      const text = partial + chunk.toString("utf8");
      const complete = text.split("\n");
      partial = complete.pop()!;
      for (const line of complete) if (line) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { destination, lines: () => [...lines] };
}
