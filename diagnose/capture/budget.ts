export const MAX_BACKOFF_MS = 30_000;
// The burst is a fifth of a second's worth of captures (10 at the default 50 a second): a quick run
// of throws pays for a few pauses (~1 ms each), not for a whole second's budget at once. Smaller
// bursts are cheaper still, but a dependency's feature-detection throws at startup (they count)
// would then use up the burst before the program's own first caught throw.
const BURST_SECONDS = 0.2;

/** How many captures the budget admits at once, from full, for `rate` captures a second. */
export function burstSize(rate: number): number {
  return Math.max(1, Math.ceil(rate * BURST_SECONDS));
}

/** The first backoff for `rate`: the time the budget takes to refill a whole burst. */
export function firstBackoffMs(rate: number): number {
  return Math.min(MAX_BACKOFF_MS, (burstSize(rate) / rate) * 1000);
}

/**
 * Captures per second in "all" mode, as a token bucket: it holds at most burstSize(rate) captures
 * and refills at `rate` a second, so over any period of T seconds at most burst + rate × T
 * captures are admitted. Past it the session pauses only on uncaught throws for a backoff period
 * (at first the time of a full refill), which doubles (up to MAX_BACKOFF_MS) while bursts keep
 * coming right after recovery. Times are milliseconds from any monotonic clock.
 */
export class CaptureBudget {
  private tokens: number;
  private filledAt = -Infinity;
  private backoffMs = 0;
  private recoveredAt = -Infinity;

  constructor(private rate: number) {
    this.tokens = burstSize(rate);
  }

  setRate(rate: number): void {
    this.rate = rate;
    this.tokens = Math.min(this.tokens, burstSize(rate));
  }

  /** Counts one capture; false when the budget is empty. */
  admit(now: number): boolean {
    this.refill(now);
    if (this.tokens < 1) return false;
    this.tokens--;
    return true;
  }

  /** The backoff to apply after the budget ran out at `now`. */
  trip(now: number): number {
    const burstContinued = now - this.recoveredAt < this.backoffMs * 2;
    this.backoffMs = burstContinued ? Math.min(this.backoffMs * 2, MAX_BACKOFF_MS) : firstBackoffMs(this.rate);
    return this.backoffMs;
  }

  /** Back to capturing everything at `now`; the tokens are what refilled meanwhile. */
  recover(now: number): void {
    this.recoveredAt = now;
    this.refill(now);
  }

  private refill(now: number): void {
    const burst = burstSize(this.rate);
    if (this.filledAt !== -Infinity) this.tokens = Math.min(burst, this.tokens + (Math.max(0, now - this.filledAt) * this.rate) / 1000);
    this.filledAt = Math.max(now, this.filledAt);
  }
}
