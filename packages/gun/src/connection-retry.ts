import type { ResolvedOptions } from './options.js';

/**
 * The retry policy of a connection (Gun §5.1): `retry` attempts after a failure or a drop. The
 * default policy retries at once the first time, then every `retryTimeout` ms; a `retryFun`
 * replaces it (it gets the retries left and the options, and returns the retries left after this
 * one and the delay). A successful connection, or a drop of one, starts over with `retry`.
 */
export class RetryPolicy {
  private retriesLeft: number;
  private streak = 0;

  constructor(private readonly opts: ResolvedOptions) {
    this.retriesLeft = opts.retry;
  }

  /** Whether no retry is left. */
  get exhausted(): boolean {
    return this.retriesLeft <= 0;
  }

  /** Starts over with `retry` retries (after a connection came up, or one went down). */
  reset(): void {
    this.retriesLeft = this.opts.retry;
    this.streak = 0;
  }

  /** Counts one retry; returns the ms to wait before it. */
  next(): number {
    const next = this.opts.retryFun !== undefined
      ? this.opts.retryFun(this.retriesLeft, this.opts)
      : { retries: this.retriesLeft - 1, timeout: this.streak === 0 ? 0 : this.opts.retryTimeout };
    this.streak++;
    this.retriesLeft = next.retries;
    return next.timeout;
  }
}
