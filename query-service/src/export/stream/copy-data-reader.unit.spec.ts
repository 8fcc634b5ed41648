import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { CopyDataReader } from "./copy-data-reader.ts";

const message = (type: string, body: string) => {
  const bytes = Buffer.from(body);
  const header = Buffer.alloc(5);
  header.write(type, 0, "latin1");
  header.writeUInt32BE(bytes.length + 4, 1);
  return Buffer.concat([header, bytes]);
};

const rows = ["a\tb\n", "", "ccc\t\\N\n", "x".repeat(1100) + "\n"]; // the last one longer than the initial carry buffer;
const copyOut = message("H", "\0\0\0");
const afterCopy = Buffer.concat([message("c", ""), message("C", "COPY 4\0"), message("Z", "I")]);
const stream = Buffer.concat([copyOut, ...rows.map((row) => message("d", row)), afterCopy]);

/** Feeds `pieces` to a socket whose pg listener records what it gets; returns rows and pg's bytes. */
function read(pieces: Buffer[], first: Buffer[] = []) {
  const socket = new PassThrough();
  const toPg: Buffer[] = [...first];
  socket.on("data", (bytes: Buffer) => toPg.push(Buffer.from(bytes)));
  const got: string[] = [];
  new CopyDataReader(socket, (bytes, start, end) => got.push(bytes.subarray(start, end).toString()));
  for (const piece of pieces) socket.emit("data", piece);
  return { rows: got, toPg: Buffer.concat(toPg) };
}

describe("CopyDataReader", () => {
  it("hands over each CopyData row and gives pg everything from CopyDone on", () => {
    expect(read([stream])).toEqual({ rows, toPg: afterCopy });
  });

  it("does the same whatever two reads the bytes arrive in", () => {
    const wrong: number[] = [];
    for (let cut = 1; cut < stream.length; cut++) {
      const result = read([stream.subarray(0, cut), stream.subarray(cut)]);
      if (result.rows.join("|") !== rows.join("|") || !result.toPg.equals(afterCopy)) wrong.push(cut);
    }
    expect(wrong).toEqual([]);
  });

  it("does the same when the bytes arrive one at a time", () => {
    const bytes = [...stream].map((byte) => Buffer.from([byte]));
    expect(read(bytes)).toEqual({ rows, toPg: afterCopy });
  });

  it("gives pg an error that ends the COPY early, with what follows", () => {
    const error = Buffer.concat([message("E", "SERROR\0Mcanceled\0\0"), message("Z", "I")]);
    const bytes = Buffer.concat([copyOut, message("d", rows[0]!), error]);
    for (let cut = 1; cut < bytes.length; cut++) {
      const result = read([bytes.subarray(0, cut), bytes.subarray(cut)]);
      expect(result, `cut at ${cut}`).toEqual({ rows: [rows[0]], toPg: error });
    }
  });

  it("stops handing over rows once stopped", () => {
    const socket = new PassThrough();
    const got: string[] = [];
    const reader = new CopyDataReader(socket, (bytes, start, end) => {
      got.push(bytes.subarray(start, end).toString());
      reader.stop();
    });
    socket.emit("data", stream);
    expect(got).toEqual([rows[0]]);
  });
});
