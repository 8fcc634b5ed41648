import { InvariantViolation, LimitExceeded } from "@conveyor/errors";
import type { Pool, PoolClient } from "pg";
import type { Chunker, ExportChunk } from "./chunker.ts";
import { copyChunks } from "./copy-chunks.ts";
import { exportUnavailable, isDatabaseUnavailable } from "./database-unavailable.ts";
import type { StreamSlots } from "./stream-slots.ts";

export interface SessionLimits {
  maxDurationMs: number;
  idleWriteTimeoutMs: number;
}

export interface SessionOptions {
  pool: Pool;
  slots: StreamSlots;
  limits: SessionLimits;
  /** The RPC's signal: a cancelled call, an expired deadline or a dropped connection aborts it. */
  signal: AbortSignal;
  /** An exported snapshot (pg_export_snapshot) to read instead of a new one. */
  snapshot?: string;
}

/**
 * One export stream's database session: a connection in a REPEATABLE READ READ ONLY transaction, so
 * every statement sees the snapshot the first one took. It aborts on the RPC's signal, after the
 * maximum duration, and when the client leaves a message untaken for the idle-write timeout. Aborting
 * destroys the socket at once, so PostgreSQL stops the query (a blocked send fails; a busy query
 * notices within client_connection_check_interval) and the pool slot is free again.
 */
export class ExportSession {
  private readonly controller = new AbortController();
  private readonly timers: NodeJS.Timeout[] = [];
  private idleTimer: NodeJS.Timeout | undefined;
  private closed = false;
  private copying = false;

  private constructor(
    private readonly client: PoolClient,
    private readonly releaseSlot: () => void,
    private readonly options: SessionOptions,
  ) {}

  /** Aborted by the RPC, a limit, or an error; `reason` says which. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  static async open(options: SessionOptions): Promise<ExportSession> {
    options.signal.throwIfAborted();
    const releaseSlot = options.slots.take();
    let client: PoolClient;
    try {
      client = await options.pool.connect();
    } catch (error) {
      releaseSlot();
      throw error;
    }
    const session = new ExportSession(client, releaseSlot, options);
    session.watch();
    try {
      await session.begin();
    } catch (error) {
      await session.close();
      throw session.failure(error);
    }
    return session;
  }

  async query<Row>(sql: string): Promise<Row[]> {
    try {
      return (await this.client.query(sql)).rows as Row[];
    } catch (error) {
      throw this.failure(error);
    }
  }

  /** Runs a COPY and yields its chunks; see copyChunks. */
  async *copy(sql: string, chunker: Chunker): AsyncGenerator<ExportChunk> {
    this.copying = true;
    try {
      yield* copyChunks(this.client, sql, chunker, this.signal);
      this.copying = false;
    } catch (error) {
      throw this.failure(error);
    }
  }

  /** Call before handing a message to the client: starts the idle-write clock. */
  awaitingClient(): void {
    this.idleTimer = setTimeout(
      () =>
        this.abort(
          new LimitExceeded(
            "export_idle_write_timeout",
            `the client took no message for ${this.options.limits.idleWriteTimeoutMs} ms; resume from the last cursor`,
          ),
        ),
      this.options.limits.idleWriteTimeoutMs,
    );
  }

  /** Call when the client asks for the next message: stops the idle-write clock. */
  clientReturned(): void {
    clearTimeout(this.idleTimer);
    this.signal.throwIfAborted();
  }

  /** Stops the session now: the socket is destroyed, and the connection and the slot are freed. */
  abort(reason: unknown): void {
    if (this.signal.aborted || this.closed) return;
    this.controller.abort(reason);
    this.client.connection.stream.destroy();
    this.finish(new Error("export session aborted", { cause: reason }));
  }

  /**
   * Commits (the transaction only read) and returns the connection, or drops it when a COPY is still
   * running (the consumer stopped early). Does nothing after an abort, which already freed everything.
   */
  async close(): Promise<void> {
    if (this.copying) this.abort(new Error("the export stream ended before its query"));
    if (this.closed) return;
    const failure = await this.client.query("COMMIT").then(
      () => undefined,
      (error: unknown) => error,
    );
    this.finish(failure);
  }

  private finish(failure: unknown): void {
    if (this.closed) return;
    this.closed = true;
    this.timers.forEach(clearTimeout);
    clearTimeout(this.idleTimer);
    this.options.signal.removeEventListener("abort", this.onRequestAbort);
    // A dropped connection may still report errors while it closes: keep listening until it is gone.
    if (!failure) this.client.off("error", this.onConnectionError);
    this.client.release(failure ? new Error("export session failed", { cause: failure }) : undefined);
    this.releaseSlot();
  }

  /** The error to report: the abort reason if the session was aborted (the query error is its echo). */
  failure(error: unknown): unknown {
    const reason: unknown = this.signal.aborted ? this.signal.reason : error;
    // A lost connection (e.g. a database restart) is retriable: UNAVAILABLE, the client resumes.
    return isDatabaseUnavailable(reason) ? exportUnavailable(reason) : reason;
  }

  private readonly onRequestAbort = () => this.abort(this.options.signal.reason);
  private readonly onConnectionError = (error: Error) => this.abort(exportUnavailable(error));

  private watch(): void {
    // A destroyed socket makes pg emit "error" on the client; without a listener that would crash the process.
    this.client.on("error", this.onConnectionError);
    this.options.signal.addEventListener("abort", this.onRequestAbort);
    const { maxDurationMs } = this.options.limits;
    this.timers.push(
      setTimeout(
        () =>
          this.abort(
            new LimitExceeded(
              "export_max_duration",
              `an export stream may run at most ${maxDurationMs} ms; resume from the last cursor`,
            ),
          ),
        maxDurationMs,
      ),
    );
  }

  private async begin(): Promise<void> {
    await this.client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    if (this.options.snapshot === undefined) return;
    try {
      await this.client.query(`SET TRANSACTION SNAPSHOT '${this.options.snapshot}'`);
    } catch (error) {
      if (this.signal.aborted) throw error;
      throw new InvariantViolation(
        "the parallel export's snapshot is no longer held (every part must start soon after PlanParallelExport); plan it again",
      );
    }
  }
}
