import type { Connection, Submittable } from "pg";

/**
 * `COPY (query) TO STDOUT` as a pg Submittable (the interface pg-cursor and pg-copy-streams use):
 * PostgreSQL sends one CopyData message per row, and pg hands each to `handleCopyData`, so row
 * boundaries come for free and no row object is ever built. `pause()`/`resume()` stop and restart
 * reading the socket: PostgreSQL then blocks on its send, which is the backpressure.
 */
export class CopyOut implements Submittable {
  readonly done: Promise<void>;
  private connection: Connection | undefined;
  private settle!: (error?: Error) => void;

  constructor(
    private readonly text: string,
    private readonly onRow: (row: Uint8Array) => void,
  ) {
    this.done = new Promise((resolve, reject) => {
      this.settle = (error) => (error === undefined ? resolve() : reject(error));
    });
  }

  submit(connection: Connection): void {
    this.connection = connection;
    connection.query(this.text);
  }

  handleCopyData(message: { chunk: Buffer }): void {
    try {
      this.onRow(message.chunk);
    } catch (error) {
      // An encoding failure: stop reading; the caller aborts the session, which ends the query.
      this.pause();
      this.settle(error instanceof Error ? error : new Error(String(error)));
    }
  }

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
