import { CoreErrors, GunError, localError } from './errors.js';

/*
 * The mailbox's one deadline timer (every timed receive shares it):
 *
 *            a timed receive waits                 the timer fires: expired receives reject;
 *   idle ───────────────────────────▶ armed ──────▶ re-armed for the earliest deadline left,
 *    ▲      (armed for its deadline)   │  ▲        or idle when no timed receive waits
 *    │                                 │  │ an earlier deadline: cleared and set again
 *    │        close()                  │  └─────────
 *    └─────────────────────────────────┘
 *
 * A receive that ends early leaves the timer alone (no timer call per receive): it fires for
 * nothing and re-arms lazily. While no timed receive waits the timer does not hold the process
 * open (Node's `unref`), as the timers of finished receives did not.
 */

/** Options of a selective receive. */
export interface ReceiveOptions {
  /** Milliseconds to wait; `Infinity` waits for ever. Default 5000, as Gun's `await`. */
  readonly timeout?: number;
  /** Abandons the receive; the promise rejects with `GUN_ERR_ABORTED`. */
  readonly signal?: AbortSignal;
  /**
   * A cheaper alternative to `signal` for code that cancels receives often: called with a
   * function that rejects this receive with the given error; returns what to call once the
   * receive is settled (to stop watching).
   */
  readonly bind?: (cancel: (error: GunError) => void) => () => void;
  /** Any value marking the receive, for {@link Mailbox.cancel} (compared by identity). */
  readonly tag?: unknown;
}

/** A waiting receive. `deadline` is in ms on {@link now}'s clock, `Infinity` without timeout. */
class Waiter<M> {
  resolve: (message: M) => void = noop;
  reject: (error: GunError) => void = noop;
  /** Stops watching the signal or the `bind` source; `undefined` when there is none. */
  release: (() => void) | undefined = undefined;

  constructor(
    readonly match: (message: M) => boolean,
    readonly deadline: number,
    readonly timeout: number,
    readonly tag: unknown,
  ) {}
}

type Timer = ReturnType<typeof setTimeout>;
type TimerState = { readonly kind: 'idle' } | { readonly kind: 'armed'; readonly timer: Timer; readonly at: number };

const IDLE: TimerState = { kind: 'idle' };
const noop = (): void => undefined;
const always = (): boolean => true;
const now = (): number => performance.now();

// The receive being built: `new Promise` runs its executor at once, so one shared executor
// fills it in (no closure per receive).
let building: Waiter<never> | undefined;
const executor = (resolve: (m: never) => void, reject: (e: GunError) => void): void => {
  building!.resolve = resolve;
  building!.reject = reject;
};

/** Node's timers can stop holding the process open; browsers' numbers have nothing to do. */
function hold(timer: Timer, keep: boolean): void {
  const t = timer as unknown as { ref?: () => void; unref?: () => void };
  if (keep) t.ref?.();
  else t.unref?.();
}

const closedError = (): GunError => localError(CoreErrors.MAILBOX_CLOSED, 'The mailbox is closed.');
const abortedError = (): GunError => localError(CoreErrors.ABORTED, 'The receive was aborted.');

/**
 * A queue of messages standing in for an Erlang process mailbox (DESIGN §3): connections
 * deliver into it; readers take messages out of order with a predicate (selective receive), with
 * a timeout; `flush` drops what matches; async iteration reads in order. Nothing is dropped
 * silently: what no reader takes stays queued until flushed or the mailbox is closed.
 */
export class Mailbox<M = unknown> implements AsyncIterable<M> {
  private queue: M[] = [];
  private waiters: Waiter<M>[] = [];
  private closedFlag = false;
  private exitReason: unknown = undefined;
  private closeListeners: Array<(reason: unknown) => void> = [];
  private timer: TimerState = IDLE;
  /** Waiting receives with a finite deadline: while there are none the timer lets the process exit. */
  private timed = 0;

  /** Number of queued messages. */
  get size(): number {
    return this.queue.length;
  }

  /** Whether {@link close} was called. */
  get closed(): boolean {
    return this.closedFlag;
  }

  /**
   * The reason given to {@link close}, as an Erlang process's exit reason (`'normal'` when none
   * was given); `undefined` while the mailbox is open.
   */
  get closeReason(): unknown {
    return this.exitReason;
  }

  /**
   * Delivers a message: to the oldest waiting receive that matches it, or to the queue.
   * Messages delivered to a closed mailbox are dropped (the owner is gone, as a dead process).
   */
  deliver(message: M): void {
    if (this.closedFlag) return;
    const waiters = this.waiters;
    for (let i = 0; i < waiters.length; i++) {
      const w = waiters[i]!;
      if (w.match(message)) {
        // shift() moves the rest in place; splice() would allocate the removed-items array.
        if (i === 0) waiters.shift();
        else waiters.splice(i, 1);
        this.finished(w);
        w.resolve(message);
        return;
      }
    }
    this.queue.push(message);
  }

  /** Takes the oldest queued message matching `match` now, or `undefined`. */
  poll(match: (message: M) => boolean = always): M | undefined {
    const queue = this.queue;
    for (let i = 0; i < queue.length; i++) {
      const m = queue[i]!;
      if (match(m)) {
        if (i === 0) queue.shift();
        else queue.splice(i, 1);
        return m;
      }
    }
    return undefined;
  }

  /**
   * Selective receive: resolves with the oldest message matching `match`, waiting up to
   * `timeout` ms (default 5000) for one to arrive.
   *
   * @throws GunError `GUN_ERR_TIMEOUT` when nothing matched in time, `GUN_ERR_ABORTED` when the
   *   signal fired, `GUN_ERR_MAILBOX_CLOSED` when the mailbox is or gets closed.
   */
  receive(match: (message: M) => boolean = always, options: ReceiveOptions = {}): Promise<M> {
    const found = this.poll(match);
    if (found !== undefined) return Promise.resolve(found);
    if (this.closedFlag) return Promise.reject(closedError());
    const signal = options.signal;
    if (signal?.aborted) return Promise.reject(abortedError());
    const timeout = options.timeout ?? 5000;
    const timed = Number.isFinite(timeout);
    const w = new Waiter<M>(match, timed ? now() + timeout : Infinity, timeout, options.tag);
    building = w as unknown as Waiter<never>;
    const promise = new Promise<M>(executor);
    building = undefined;
    this.waiters.push(w);
    if (timed) this.scheduled(w.deadline);
    if (signal !== undefined) {
      const onAbort = (): void => this.cancelOne(w, abortedError());
      signal.addEventListener('abort', onAbort, { once: true });
      w.release = () => signal.removeEventListener('abort', onAbort);
    }
    if (options.bind !== undefined) {
      const unbind = options.bind((error) => this.cancelOne(w, error));
      const release = w.release;
      w.release = release === undefined ? unbind : () => (release(), unbind());
    }
    return promise;
  }

  /**
   * Rejects every waiting receive whose `tag` option is `tag` with `error`, oldest first (how a
   * connection ends the receives of a stream it lost); returns how many.
   */
  cancel(tag: unknown, error: GunError): number {
    const hit: Waiter<M>[] = [];
    this.waiters = this.waiters.filter((w) => (w.tag === tag && tag !== undefined ? (hit.push(w), false) : true));
    for (const w of hit) {
      this.finished(w);
      w.reject(error);
    }
    return hit.length;
  }

  /** Removes every queued message matching `match`; returns how many were removed. */
  flush(match: (message: M) => boolean = always): number {
    const before = this.queue.length;
    this.queue = this.queue.filter((m) => !match(m));
    return before - this.queue.length;
  }

  /** Queued messages, oldest first, without removing them. */
  peekAll(): readonly M[] {
    return this.queue.slice();
  }

  /**
   * Registers a callback run once, with the {@link closeReason}, when the mailbox closes (how a
   * connection watches its owner, as Gun's monitor gets the owner's exit reason in its `'DOWN'`
   * message). On a mailbox already closed it runs at once. Returns what stops the watch.
   */
  onClose(listener: (reason: unknown) => void): () => void {
    if (this.closedFlag) {
      listener(this.exitReason);
      return () => undefined;
    }
    this.closeListeners.push(listener);
    return () => {
      this.closeListeners = this.closeListeners.filter((l) => l !== listener);
    };
  }

  /**
   * Closes the mailbox, as its process exiting: drops queued messages, rejects pending receives
   * with `GUN_ERR_MAILBOX_CLOSED` and runs the {@link onClose} listeners with `reason`. Only the
   * first close counts (a process exits once).
   *
   * @param reason the exit reason, Erlang's: `'normal'` (the default) or `'shutdown'` for an
   *   owner that ended cleanly; anything else (an `Error`, a string) says it failed. A connection
   *   whose owner this is ends with a reason derived from it (Gun's owner `'DOWN'` handling).
   */
  close(reason: unknown = 'normal'): void {
    if (this.closedFlag) return;
    this.closedFlag = true;
    this.exitReason = reason;
    this.queue = [];
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) {
      this.finished(w);
      w.reject(closedError());
    }
    this.disarm();
    const listeners = this.closeListeners;
    this.closeListeners = [];
    for (const l of listeners) l(reason);
  }

  /** Reads messages in arrival order until the mailbox is closed. */
  async *[Symbol.asyncIterator](): AsyncIterator<M> {
    for (;;) {
      try {
        yield await this.receive(always, { timeout: Infinity });
      } catch (error) {
        if (error instanceof GunError && error.code === CoreErrors.MAILBOX_CLOSED) return;
        throw error;
      }
    }
  }

  /** Rejects one waiting receive (signal, `bind`), if it still waits. */
  private cancelOne(w: Waiter<M>, error: GunError): void {
    const i = this.waiters.indexOf(w);
    if (i === -1) return;
    this.waiters.splice(i, 1);
    this.finished(w);
    w.reject(error);
  }

  /** A receive left the waiters: it stops counting for the timer and stops watching. */
  private finished(w: Waiter<M>): void {
    if (w.deadline !== Infinity && --this.timed === 0 && this.timer.kind === 'armed') hold(this.timer.timer, false);
    w.release?.();
  }

  /** A timed receive waits until `deadline`: the timer is armed for it unless armed earlier. */
  private scheduled(deadline: number): void {
    const t = this.timer;
    if (++this.timed === 1 && t.kind === 'armed') hold(t.timer, true);
    if (t.kind === 'armed' && t.at <= deadline) return;
    this.arm(deadline, now());
  }

  private arm(deadline: number, from: number): void {
    if (this.timer.kind === 'armed') clearTimeout(this.timer.timer);
    // Timers count whole ms and may fire a little before the clock says: the rest is re-armed.
    const timer = setTimeout(this.fired, Math.max(1, Math.ceil(deadline - from)));
    this.timer = { kind: 'armed', timer, at: deadline };
  }

  private disarm(): void {
    if (this.timer.kind === 'armed') clearTimeout(this.timer.timer);
    this.timer = IDLE;
  }

  /** Expired receives reject with `GUN_ERR_TIMEOUT`; the timer re-arms for the earliest left. */
  private readonly fired = (): void => {
    this.timer = IDLE;
    const at = now();
    const expired: Waiter<M>[] = [];
    let next = Infinity;
    this.waiters = this.waiters.filter((w) => {
      if (w.deadline <= at) return (expired.push(w), false);
      if (w.deadline < next) next = w.deadline;
      return true;
    });
    if (next !== Infinity) this.arm(next, at);
    for (const w of expired) {
      this.finished(w);
      w.reject(new GunError(CoreErrors.TIMEOUT, `No matching message arrived within ${w.timeout} ms.`, { origin: 'local' }));
    }
  };
}

/** Where a stream's messages go: a mailbox, or a function called with each message. */
export type ReplyTo<M = unknown> = Mailbox<M> | ((message: M) => void);

/** Delivers a message to a {@link ReplyTo}. */
export function deliverTo<M>(replyTo: ReplyTo<M>, message: M): void {
  if (typeof replyTo === 'function') replyTo(message);
  else replyTo.deliver(message);
}
