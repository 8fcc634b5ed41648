import type { Connection, Submittable } from "pg";
import { CopyDataReader } from "./copy-data-reader.ts";

/**
 * `COPY (query) TO STDOUT` as a pg Submittable (the interface pg-cursor and pg-copy-streams use):
 * PostgreSQL sends one CopyData message per row, so row boundaries come for free and no row object is
 * ever built; a CopyDataReader hands the rows over as offsets into the socket's read buffer, and pg
 * takes the connection back for the end of the COPY. `pause()`/`resume()` stop and restart reading the
 * socket: PostgreSQL then blocks on its send, which is the backpressure.
 */
export class CopyOut implements Submittable {
  readonly done: Promise<void>;
  private connection: Connection | undefined;
  private reader: CopyDataReader | undefined;
  private settle!: (error?: Error) => void;

  constructor(
    private readonly text: string,
    private readonly onRow: (bytes: Uint8Array, start: number, end: number) => void,
  ) {
    this.done = new Promise((resolve, reject) => {
      this.settle = (error) => (error === undefined ? resolve() : reject(error));
    });
  }

  submit(connection: Connection): void {
    this.connection = connection;
    this.reader = new CopyDataReader(connection.stream, this.handleRow);
    connection.query(this.text);
  }

  /** Rows pg parsed itself (none while the reader has the socket; kept so pg never finds it missing). */
  handleCopyData(message: { chunk: Buffer }): void {
    this.handleRow(message.chunk, 0, message.chunk.length);
  }

  private readonly handleRow = (bytes: Uint8Array, start: number, end: number): void => {
    try {
      this.onRow(bytes, start, end);
    } catch (error) {
      // An encoding failure: stop reading; the caller aborts the session, which ends the query.
      this.reader?.stop();
      this.pause();
      this.settle(error instanceof Error ? error : new Error(String(error)));
    }
  };

  handleCommandComplete(): void {}

  handleReadyForQuery(): void {
    this.settle();
  }

  handleError(error: Error): void {
    this.settle(error);
  }

  pause(): void {
    this.connection?.stream.pause();
  }

  resume(): void {
    this.connection?.stream.resume();
  }
}
