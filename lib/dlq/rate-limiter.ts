/**
 * Paces a replay at `ratePerSecond` messages/s. Message n (from 0) may leave at start + n / rate:
 * a fixed schedule, so a slow broker round-trip is caught up on instead of lowering the rate, and
 * the average over any run of messages stays at the rate. `null` means unlimited.
 */
export class RateLimiter {
  private start: number | null = null;
  private sent = 0;

  constructor(
    readonly ratePerSecond: number | null,
    private readonly now: () => number = () => performance.now(),
    private readonly sleep: (ms: number) => Promise<void> = (ms) =>
      new Promise((resolve) => setTimeout(resolve, ms)),
  ) {
    if (ratePerSecond !== null && !(ratePerSecond > 0)) throw new RangeError('ratePerSecond must be > 0');
  }

  /**
   * How many messages to send together: about 20 ms worth at the rate (so pacing stays smooth),
   * between 1 and `max`.
   */
  batchSize(max: number): number {
    if (this.ratePerSecond === null) return max;
    return Math.max(1, Math.min(max, Math.floor(this.ratePerSecond / 50)));
  }

  /** Waits until `count` more messages may be sent. */
  async acquire(count: number): Promise<void> {
    if (this.ratePerSecond === null) return;
    this.start ??= this.now();
    const due = this.start + (this.sent * 1000) / this.ratePerSecond;
    this.sent += count;
    const wait = due - this.now();
    if (wait > 0) await this.sleep(wait);
  }
}
