/** A held snapshot: the transaction that exported it stays open until released. */
interface Held {
  partsLeft: number;
  timer: NodeJS.Timeout;
  release: () => Promise<void>;
}

/**
 * The open transactions whose exported snapshots planned parallel parts will import. A snapshot can
 * only be imported while its exporting transaction is open, so each is held until all its parts have
 * started or the hold time passes, whichever comes first.
 */
export class SnapshotHolders {
  private readonly held = new Map<string, Held>();

  constructor(private readonly holdMs: number) {}

  /** Holds `snapshot` for `parts` parts; `release` ends the exporting transaction. */
  hold(snapshot: string, parts: number, release: () => Promise<void>): void {
    const timer = setTimeout(() => void this.release(snapshot), this.holdMs);
    this.held.set(snapshot, { partsLeft: parts, timer, release });
  }

  /** A part has imported `snapshot`; the last one releases it. */
  partStarted(snapshot: string): void {
    const held = this.held.get(snapshot);
    if (held && --held.partsLeft === 0) void this.release(snapshot);
  }

  /** Whether `snapshot` is still held (for tests and diagnostics). */
  isHeld(snapshot: string): boolean {
    return this.held.has(snapshot);
  }

  async releaseAll(): Promise<void> {
    await Promise.all([...this.held.keys()].map((snapshot) => this.release(snapshot)));
  }

  private async release(snapshot: string): Promise<void> {
    const held = this.held.get(snapshot);
    if (!held) return;
    this.held.delete(snapshot);
    clearTimeout(held.timer);
    await held.release();
  }
}
