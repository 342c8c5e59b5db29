const WINDOW_MS = 1000;
export const FIRST_BACKOFF_MS = 1000;
export const MAX_BACKOFF_MS = 30_000;

/**
 * Captures per second in "all" mode. Past the rate the session pauses only on uncaught throws for a
 * backoff period, which doubles (up to MAX_BACKOFF_MS) while bursts keep coming right after recovery.
 * Times are milliseconds from any monotonic clock.
 */
export class CaptureBudget {
  private windowStart = -Infinity;
  private used = 0;
  private backoffMs = 0;
  private recoveredAt = -Infinity;

  constructor(private rate: number) {}

  setRate(rate: number): void {
    this.rate = rate;
  }

  /** Counts one capture; false when this one is over the rate. */
  admit(now: number): boolean {
    if (now - this.windowStart >= WINDOW_MS) {
      this.windowStart = now;
      this.used = 0;
    }
    if (this.used >= this.rate) return false;
    this.used++;
    return true;
  }

  /** The backoff to apply after the rate was exceeded at `now`. */
  trip(now: number): number {
    const burstContinued = now - this.recoveredAt < this.backoffMs * 2;
    this.backoffMs = burstContinued ? Math.min(this.backoffMs * 2, MAX_BACKOFF_MS) : FIRST_BACKOFF_MS;
    return this.backoffMs;
  }

  /** Back to capturing everything at `now`, with a fresh window. */
  recover(now: number): void {
    this.recoveredAt = now;
    this.windowStart = now;
    this.used = 0;
  }
}
